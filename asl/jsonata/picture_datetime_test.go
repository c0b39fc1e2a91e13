package jsonata

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// picFromMillisCase is one $fromMillis case: arguments and the exact
// result, or the error code.
type picFromMillisCase struct {
	name     string
	millis   int64
	picture  string
	timezone string
	want     string
	code     string
}

// picToMillisCase is one $toMillis case. then is "fromMillis" when the
// suite pipes the result into $fromMillis() and compares that string;
// otherwise want is the number of milliseconds.
type picToMillisCase struct {
	name      string
	timestamp string
	picture   string
	then      string
	want      string
	undefined bool
	code      string
}

// picSuiteFromMillis holds the cases of the JSONata 2.0.6 suite group
// function-fromMillis whose arguments are literals. Not here: case002,
// formatDateTime#0 (undefined millis: the evaluator's part),
// formatDateTime#66 (TestFromMillisSuiteTimezones) and isoWeekDate
// (TestFromMillisSuiteISOWeekDate).
var picSuiteFromMillis = []picFromMillisCase{
	{"function-fromMillis/case000", 1, "", "", "1970-01-01T00:00:00.001Z", ""},
	{"function-fromMillis/case001", 1509380732935, "", "", "2017-10-30T16:25:32.935Z", ""},
	{"function-fromMillis/formatDateTime#1", 1521801216617, "Hello", "", "Hello", ""},
	{"function-fromMillis/formatDateTime#2", 1521801216617, "Year: [Y0001]", "", "Year: 2018", ""},
	{"function-fromMillis/formatDateTime#3", 1521801216617, "Year: <[Y0001]>", "", "Year: <2018>", ""},
	{"function-fromMillis/formatDateTime#4", 1521801216617, "Year: <[Y9,999,*]>", "", "Year: <2,018>", ""},
	{"function-fromMillis/formatDateTime#5", 1521801216617, "[[Year: <[Y0001]>", "", "[Year: <2018>", ""},
	{"function-fromMillis/formatDateTime#6", 1521801216617, "Year]]: <[Y0001]>", "", "Year]: <2018>", ""},
	{"function-fromMillis/formatDateTime#7", 1521801216617, "[[Year]]: [[[Y0001]]]", "", "[Year]: [2018]", ""},
	{"function-fromMillis/formatDateTime#8", 1521801216617, "[D#1]/[M#1]/[Y0001]", "", "23/3/2018", ""},
	{"function-fromMillis/formatDateTime#9", 1522616700000, "[F0] [FNn]", "", "7 Sunday", ""},
	{"function-fromMillis/formatDateTime#10", 1522703100000, "[F0] [FNn]", "", "1 Monday", ""},
	{"function-fromMillis/formatDateTime#11", 1521801216617, "[Y0001]-[M01]-[D01]", "", "2018-03-23", ""},
	{"function-fromMillis/formatDateTime#12", 1521801216617, "[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]", "", "03/23/2018 at 10:33:36", ""},
	{"function-fromMillis/formatDateTime#13", 1521801216617, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]", "", "2018-03-23T10:33:36.617Z", ""},
	{"function-fromMillis/formatDateTime#14", 1521801216617, "[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]", "", "2018-03-23T10:33:36.617Z", ""},
	{"function-fromMillis/formatDateTime#15", 1521801216617, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0100", "2018-03-23T11:33:36.617+0100", ""},
	{"function-fromMillis/formatDateTime#16", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]", "", "2018-07-11T12:00:00+00:00", ""},
	{"function-fromMillis/formatDateTime#17", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", "", "2018-07-11T12:00:00Z", ""},
	{"function-fromMillis/formatDateTime#18", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "-0500", "2018-07-11T07:00:00-05:00", ""},
	{"function-fromMillis/formatDateTime#19", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "-0500", "2018-07-11T07:00:00-5", ""},
	{"function-fromMillis/formatDateTime#20", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "+1000", "2018-07-11T22:00:00+10:00", ""},
	{"function-fromMillis/formatDateTime#21", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+1000", "2018-07-11T22:00:00+10", ""},
	{"function-fromMillis/formatDateTime#22", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+0530", "2018-07-11T17:30:00+5:30", ""},
	{"function-fromMillis/formatDateTime#23", 1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]", "-0500", "2018-07-11T07:00:00GMT-05:00", ""},
	{"function-fromMillis/formatDateTime#24", 1204405500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2008-03-02T02:35:00.000+0530", ""},
	{"function-fromMillis/formatDateTime#25", 1230757500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2009-01-01T02:35:00.000+0530", ""},
	{"function-fromMillis/formatDateTime#26", 1230757500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]", "+0530", "", "D3134"},
	{"function-fromMillis/formatDateTime#27", 1521801216617, "[D#1,2]/[M1,2]/[Y,2]", "", "23/03/18", ""},
	{"function-fromMillis/formatDateTime#28", 1521801216617, "[D#1,2]/[M1,2]/[Y0001,2]", "", "23/03/2018", ""},
	{"function-fromMillis/formatDateTime#29", 1521801216617, "[D#1,2]/[M1,2]/[Y##01,2-2]", "", "23/03/18", ""},
	{"function-fromMillis/formatDateTime#30", 1521801216617, "[D#1,2]/[M1,2]/[Y0001,2-2]", "", "23/03/18", ""},
	{"function-fromMillis/formatDateTime#31", 1521801216617, "[D1] [M01] [YI]", "", "23 03 MMXVIII", ""},
	{"function-fromMillis/formatDateTime#32", 1521801216617, "[Da] [MA] [Yi]", "", "w C mmxviii", ""},
	{"function-fromMillis/formatDateTime#33", 1521801216617, "[D1o] [M01] [Y]", "", "23rd 03 2018", ""},
	{"function-fromMillis/formatDateTime#34", 1521801216617, "[Yw]", "", "two thousand and eighteen", ""},
	{"function-fromMillis/formatDateTime#35", 1521801216617, "[Dwo] [M01] [Y]", "", "twenty-third 03 2018", ""},
	{"function-fromMillis/formatDateTime#36", 1521801216617, "[D1o] [MNn] [Y]", "", "23rd March 2018", ""},
	{"function-fromMillis/formatDateTime#37", 1521801216617, "[D1o] [MN] [Y]", "", "23rd MARCH 2018", ""},
	{"function-fromMillis/formatDateTime#38", 1521801216617, "[FNn], [D1o] [MNn] [Y]", "", "Friday, 23rd March 2018", ""},
	{"function-fromMillis/formatDateTime#39", 1521801216617, "[FNn], the [Dwo] of [MNn] [Y] [E]", "", "Friday, the twenty-third of March 2018 ISO", ""},
	{"function-fromMillis/formatDateTime#40", 1521801216617, "[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]", "", "Fri, 23rd Mar 2018 ISO", ""},
	{"function-fromMillis/formatDateTime#41", 1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", "", "friday, 23/3/2018 10:33:36 am", ""},
	{"function-fromMillis/formatDateTime#42", 1204405500000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", "", "saturday, 1/3/2008 9:05:00 pm", ""},
	{"function-fromMillis/formatDateTime#43", 1199664000000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", "", "monday, 7/1/2008 12:00:00 am", ""},
	{"function-fromMillis/formatDateTime#44", 1514808000000, "[dwo] day of the year", "", "first day of the year", ""},
	{"function-fromMillis/formatDateTime#45", 1546257600000, "[d] days in [Y0001]", "", "365 days in 2018", ""},
	{"function-fromMillis/formatDateTime#46", 1483185600000, "[d] days in [Y0001]", "", "366 days in 2016", ""},
	{"function-fromMillis/formatDateTime#47", 1514808000000, "Week: [W]", "", "Week: 1", ""},
	{"function-fromMillis/formatDateTime#48", 1515326400000, "Week: [W]", "", "Week: 1", ""},
	{"function-fromMillis/formatDateTime#49", 1545739200000, "Week: [W]", "", "Week: 52", ""},
	{"function-fromMillis/formatDateTime#50", 1388577600000, "Week: [W]", "", "Week: 1", ""},
	{"function-fromMillis/formatDateTime#51", 1419854400000, "Week: [W]", "", "Week: 1", ""},
	{"function-fromMillis/formatDateTime#52", 1419768000000, "Week: [W]", "", "Week: 52", ""},
	{"function-fromMillis/formatDateTime#53", 1419336000000, "Week: [W]", "", "Week: 52", ""},
	{"function-fromMillis/formatDateTime#54", 1420113600000, "Week: [W]", "", "Week: 1", ""},
	{"function-fromMillis/formatDateTime#55", 1420459200000, "Week: [W]", "", "Week: 2", ""},
	{"function-fromMillis/formatDateTime#56", 1451304000000, "Week: [W]", "", "Week: 53", ""},
	{"function-fromMillis/formatDateTime#57", 1451563200000, "Week: [W]", "", "Week: 53", ""},
	{"function-fromMillis/formatDateTime#58", 1451736000000, "Week: [W]", "", "Week: 53", ""},
	{"function-fromMillis/formatDateTime#59", 1359460800000, "Week: [w] of [xNn]", "", "Week: 5 of January", ""},
	{"function-fromMillis/formatDateTime#60", 1359633600000, "Week: [w] of [xNn]", "", "Week: 5 of January", ""},
	{"function-fromMillis/formatDateTime#61", 1359720000000, "Week: [w] of [xNn]", "", "Week: 5 of January", ""},
	{"function-fromMillis/formatDateTime#62", 1514808000000, "Week: [w] of [xNn]", "", "Week: 1 of January", ""},
	{"function-fromMillis/formatDateTime#63", 1483272000000, "Week: [w] of [xNn]", "", "Week: 5 of December", ""},
	{"function-fromMillis/formatDateTime#64", 1533038400000, "Week: [w] of [xNn]", "", "Week: 1 of August", ""},
	{"function-fromMillis/formatDateTime#65", 1419940800000, "Week: [w] of [xNn]", "", "Week: 1 of January", ""},
	{"function-fromMillis/formatDateTime#67", 1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]", "", "friday, 23/3/2018 10:33:36 AM", ""},
	{"function-fromMillis/formatDateTime#68", 1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]", "", "friday, 23/3/2018 10:33:36 am", ""},
	{"function-fromMillis/formatDateTime#69", 1419940800000, "[YN]-[M]-[D]", "", "", "D3133"},
	{"function-fromMillis/formatDateTime#70", 1419940800000, "[YN]-[M", "", "", "D3135"},
}

// picSuiteToMillis holds the cases of the suite group function-tomillis
// whose arguments are literals. Not here: case006, parseDateTime#0
// (undefined timestamp: the evaluator's part) and parseDateTime#28/#29,
// which depend on today's date (TestToMillisSuiteTimeOnly).
var picSuiteToMillis = []picToMillisCase{
	{"function-tomillis/case001", "1970-01-01T00:00:00.001Z", "", "", "1", false, ""},
	{"function-tomillis/case002", "2018-02-01T09:42:13.123+0000", "", "", "1517478133123", false, ""},
	{"function-tomillis/case003", "2017-10-30", "", "", "1509321600000", false, ""},
	{"function-tomillis/case004", "2017-10-30T15:28:34Z", "", "", "1509377314000", false, ""},
	{"function-tomillis/case005", "2018", "", "", "1514764800000", false, ""},
	{"function-tomillis/case007", "foo", "", "", "", false, "D3110"},
	{"function-tomillis/case008", "01-02-2018", "", "", "", false, "D3110"},
	{"function-tomillis/case009", "2018-02-03 11:15:33", "", "", "", false, "D3110"},
	{"function-tomillis/case010", "201802", "[Y0001][M01]", "", "1517443200000", false, ""},
	{"function-tomillis/case011", "201802", "[Y,*-4][M01]", "", "1517443200000", false, ""},
	{"function-tomillis/case012", "20180205", "[Y0001][M01][D01]", "", "1517788800000", false, ""},
	{"function-tomillis/parseDateTime#1", "Hello", "Hello", "", "", true, ""},
	{"function-tomillis/parseDateTime#2", "2018", "[Y1]", "", "1514764800000", false, ""},
	{"function-tomillis/parseDateTime#3", "2018-03-27", "[Y1]-[M01]-[D01]", "", "1522108800000", false, ""},
	{"function-tomillis/parseDateTime#4", "2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z", "", "1522159380123", false, ""},
	{"function-tomillis/parseDateTime#5", "27th 3 1976", "[D1o] [M#1] [Y0001]", "", "196732800000", false, ""},
	{"function-tomillis/parseDateTime#6", "21st 12 1881", "[D1o] [M01] [Y0001]", "", "-2777932800000", false, ""},
	{"function-tomillis/parseDateTime#7", "2nd 12 2012", "[D1o] [M01] [Y0001]", "", "1354406400000", false, ""},
	{"function-tomillis/parseDateTime#8", "MCMLXXXIV", "[YI]", "", "441763200000", false, ""},
	{"function-tomillis/parseDateTime#9", "27 03 MMXVIII", "[D1] [M01] [YI]", "", "1522108800000", false, ""},
	{"function-tomillis/parseDateTime#10", "27 iii MMXVIII", "[D1] [Mi] [YI]", "", "1522108800000", false, ""},
	{"function-tomillis/parseDateTime#11", "w C mmxviii", "[Da] [MA] [Yi]", "", "1521763200000", false, ""},
	{"function-tomillis/parseDateTime#12", "ae C mmxviii", "[Da] [MA] [Yi]", "", "1522454400000", false, ""},
	{"function-tomillis/parseDateTime#13", "27th April 2008", "[D1o] [MNn] [Y0001]", "", "1209254400000", false, ""},
	{"function-tomillis/parseDateTime#14", "21 August 2017", "[D1] [MNn] [Y0001]", "", "1503273600000", false, ""},
	{"function-tomillis/parseDateTime#15", "2 Feb 2012", "[D1] [MNn,3-3] [Y0001]", "", "1328140800000", false, ""},
	{"function-tomillis/parseDateTime#16", "one thousand, nine hundred and eighty-four", "[Yw]", "", "441763200000", false, ""},
	{"function-tomillis/parseDateTime#17", "nineteen hundred and eighty-four", "[Yw]", "", "441763200000", false, ""},
	{"function-tomillis/parseDateTime#18", "twenty-seven April 2008", "[Dw] [MNn] [Y0001]", "", "1209254400000", false, ""},
	{"function-tomillis/parseDateTime#19", "twenty-seventh April 2008", "[Dw] [MNn] [Y0001]", "", "1209254400000", false, ""},
	{"function-tomillis/parseDateTime#20", "twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]", "", "1503273600000", false, ""},
	{"function-tomillis/parseDateTime#21", "TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]", "", "1503360000000", false, ""},
	{"function-tomillis/parseDateTime#22", "Twentieth of August, two thousand and seventeen", "[DW] of [MNn], [Yw]", "", "1503187200000", false, ""},
	{"function-tomillis/parseDateTime#23", "4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "", "1522800360000", false, ""},
	{"function-tomillis/parseDateTime#24", "4/4/2018 06:30 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "", "1522823400000", false, ""},
	{"function-tomillis/parseDateTime#25", "4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "", "1522843560000", false, ""},
	{"function-tomillis/parseDateTime#26", "4/4/2018 11:30 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "", "1522884600000", false, ""},
	{"function-tomillis/parseDateTime#27", "2018-094", "[Y0001]-[d001]", "", "1522800000000", false, ""},
	{"function-tomillis/parseDateTime#30", "Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]", "fromMillis", "2018-11-14T00:00:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#31", "Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]", "fromMillis", "2018-11-12T00:00:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#32", "2018--180", "[Y]--[d]", "fromMillis", "2018-06-29T00:00:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#33", "three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]", "fromMillis", "2018-12-31T00:00:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#34", "irrelevent string", "[Y]-[M]-[D]", "", "", true, ""},
	{"function-tomillis/parseDateTime#35", "2018-05-22", "[Y]-[M]-[q]", "", "", false, "D3132"},
	{"function-tomillis/parseDateTime#36", "2018-05-22", "[YN]-[M]-[D]", "", "", false, "D3133"},
	{"function-tomillis/parseDateTime#37", "2018-22", "[Y]-[D]", "", "", false, "D3136"},
	{"function-tomillis/parseDateTime#38", "5-22 23:59", "[M]-[D] [m]:[s]", "", "", false, "D3136"},
	{"function-tomillis/parseDateTime#39", "2018-3-2-5", "[X]-[x]-[w]-[F1]", "", "", false, "D3136"},
	{"function-tomillis/parseDateTime#40", "2018-32-5", "[X]-[W]-[F1]", "", "", false, "D3136"},
	{"function-tomillis/parseDateTime#41", "2020-09-09 08:00:00 +02:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", "fromMillis", "2020-09-09T06:00:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#42", "2020-09-09 08:00:00 GMT-05:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]", "fromMillis", "2020-09-09T13:00:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#43", "2020-09-09 12:00:00 +05:30", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", "fromMillis", "2020-09-09T06:30:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#44", "2020-09-09 12:00:00 GMT-5", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]", "fromMillis", "2020-09-09T17:00:00.000Z", false, ""},
	{"function-tomillis/parseDateTime#45", "2020-09-09 12:00:00 +0530", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]", "fromMillis", "2020-09-09T06:30:00.000Z", false, ""},
}

// picSuiteISOWeekDate is the suite file function-fromMillis/isoWeekDate:
// $toMillis(date, '[Y]-[M]-[D]') formatted as '[X0001]-W[W01]-[F1]'.
var picSuiteISOWeekDate = []struct{ name, date, want string }{
	{"function-fromMillis/isoWeekDate#0", "2005-01-01", "2004-W53-6"},
	{"function-fromMillis/isoWeekDate#1", "2005-01-02", "2004-W53-7"},
	{"function-fromMillis/isoWeekDate#2", "2005-12-31", "2005-W52-6"},
	{"function-fromMillis/isoWeekDate#3", "2006-01-01", "2005-W52-7"},
	{"function-fromMillis/isoWeekDate#4", "2006-01-02", "2006-W01-1"},
	{"function-fromMillis/isoWeekDate#5", "2006-12-31", "2006-W52-7"},
	{"function-fromMillis/isoWeekDate#6", "2007-01-01", "2007-W01-1"},
	{"function-fromMillis/isoWeekDate#7", "2007-12-30", "2007-W52-7"},
	{"function-fromMillis/isoWeekDate#8", "2007-12-31", "2008-W01-1"},
	{"function-fromMillis/isoWeekDate#9", "2008-01-01", "2008-W01-2"},
	{"function-fromMillis/isoWeekDate#10", "2008-12-28", "2008-W52-7"},
	{"function-fromMillis/isoWeekDate#11", "2008-12-29", "2009-W01-1"},
	{"function-fromMillis/isoWeekDate#12", "2008-12-30", "2009-W01-2"},
	{"function-fromMillis/isoWeekDate#13", "2008-12-31", "2009-W01-3"},
	{"function-fromMillis/isoWeekDate#14", "2009-01-01", "2009-W01-4"},
	{"function-fromMillis/isoWeekDate#15", "2009-12-31", "2009-W53-4"},
	{"function-fromMillis/isoWeekDate#16", "2010-01-01", "2009-W53-5"},
	{"function-fromMillis/isoWeekDate#17", "2010-01-02", "2009-W53-6"},
	{"function-fromMillis/isoWeekDate#18", "2010-01-03", "2009-W53-7"},
}

func TestFromMillisSuite(t *testing.T) {
	for _, c := range picSuiteFromMillis {
		got, err := fromMillis(c.millis, c.picture, c.timezone)
		picCheck(t, c.name, got, err, c.want, c.code)
	}
}

func TestToMillisSuite(t *testing.T) {
	for _, c := range picSuiteToMillis {
		ms, ok, err := toMillis(c.timestamp, c.picture)
		switch {
		case c.code != "":
			picCheck(t, c.name, "", err, "", c.code)
		case c.undefined:
			if ok || err != nil {
				t.Errorf("%s: got (%d, %v, %v), want undefined", c.name, ms, ok, err)
			}
		case err != nil || !ok:
			t.Errorf("%s: got (%d, %v, %v), want %s", c.name, ms, ok, err, c.want)
		case c.then == "fromMillis":
			got, err := fromMillis(ms, "", "")
			picCheck(t, c.name, got, err, c.want, "")
		default:
			if got := fmt.Sprint(ms); got != c.want {
				t.Errorf("%s: got %s, want %s", c.name, got, c.want)
			}
		}
	}
}

// TestFromMillisSuiteTimezones is formatDateTime#66:
// $toMillis('2018-10-21T13:05:00Z').[$fromMillis(), $fromMillis($, (),'-0500'), $fromMillis($, (),'0000')].
func TestFromMillisSuiteTimezones(t *testing.T) {
	ms, ok, err := toMillis("2018-10-21T13:05:00Z", "")
	if err != nil || !ok {
		t.Fatalf("toMillis: %v %v", ok, err)
	}
	for tz, want := range map[string]string{
		"":      "2018-10-21T13:05:00.000Z",
		"-0500": "2018-10-21T08:05:00.000-05:00",
		"0000":  "2018-10-21T13:05:00.000Z",
	} {
		got, err := fromMillis(ms, "", tz)
		picCheck(t, "formatDateTime#66 "+tz, got, err, want, "")
	}
}

func TestFromMillisSuiteISOWeekDate(t *testing.T) {
	for _, c := range picSuiteISOWeekDate {
		ms, ok, err := toMillis(c.date, "[Y]-[M]-[D]")
		if err != nil || !ok {
			t.Errorf("%s: toMillis(%q): %v %v", c.name, c.date, ok, err)
			continue
		}
		got, err := fromMillis(ms, "[X0001]-W[W01]-[F1]", "")
		picCheck(t, c.name, got, err, c.want, "")
	}
}

// TestToMillisSuiteTimeOnly covers parseDateTime#28 and #29: a picture
// with only hours and minutes reads a time of the current day.
func TestToMillisSuiteTimeOnly(t *testing.T) {
	before := time.Now().UTC().Format("2006-01-02")
	ms, ok, err := toMillis("13:45", "[H]:[m]")
	after := time.Now().UTC().Format("2006-01-02")
	if err != nil || !ok {
		t.Fatalf("toMillis: %v %v", ok, err)
	}
	iso, err := fromMillis(ms, "", "")
	if err != nil {
		t.Fatal(err)
	}
	date, clock, _ := strings.Cut(iso, "T")
	if date != before && date != after {
		t.Errorf("#28: date %s, want today %s", date, after)
	}
	if clock != "13:45:00.000Z" {
		t.Errorf("#29: got %s, want 13:45:00.000Z", clock)
	}
}

// TestFromMillisBehaviour pins behaviour the suite does not cover. The
// instant is Friday 2018-03-23 10:33:36.617 UTC, day 82 of the year.
func TestFromMillisBehaviour(t *testing.T) {
	const ms = 1521801216617
	cases := []picFromMillisCase{
		{"fraction is milliseconds", ms, "[s01].[f01]", "", "36.617", ""},
		{"fraction default", ms, "[f]", "", "617", ""},
		{"fraction padded as an integer", ms, "[f0001]", "", "0617", ""},
		{"zulu with GMT", ms, "[z0101t]", "", "Z", ""},
		{"year modulo max width", ms, "[Y,3-4]", "", "2018", ""},
		{"year padded to max width", ms, "[Y,2-6]", "", "002018", ""},
		{"roman year modulo max width", ms, "[YI,*-2]", "", "XVIII", ""},
		{"upper-case am/pm", ms, "[PN]", "", "AM", ""},
		{"title-case am/pm stays lower", ms, "[PNn]", "", "am", ""},
		{"zulu", ms, "[Z0101t]", "", "Z", ""},
		{"utc offset", ms, "[Z0101]", "", "+0000", ""},
		{"gmt utc", ms, "[z]", "", "GMT+00:00", ""},
		{"half hour zone", ms, "[H01]:[m01] [Z]", "+05:30", "16:03 +05:30", ""},
		{"colon timezone argument", ms, "[H01]:[m01]", "-03:30", "07:03", ""},
		{"eleventh", 1520766000000, "[D1o]", "", "11th", ""},
		{"day of year", ms, "[d001]", "", "082", ""},
		{"noon is 12 pm", 1521806400000, "[h]:[m01] [P]", "", "12:00 pm", ""},
		{"upper case day", ms, "[FN,*-3]", "", "FRI", ""},
		{"month number words", ms, "[MW]", "", "THREE", ""},
		{"era and calendar", ms, "[E] [C]", "", "ISO ISO", ""},
		{"literal brackets", ms, "[[[Y]]]", "", "[2018]", ""},
		{"before the epoch", -1, "", "", "1969-12-31T23:59:59.999Z", ""},
		{"bad timezone", ms, "", "EST", "", "D3110"},
		{"empty marker", ms, "[]", "", "", "D3132"},
		{"name for hours", ms, "[HN]", "", "", "D3133"},
		{"timezone with five digits", ms, "[Z00000]", "", "", "D3134"},
		{"unclosed marker", ms, "[Y", "", "", "D3135"},
		{"unknown integer picture", ms, "[Dα]", "", "", "D3130"},
	}
	for _, c := range cases {
		got, err := fromMillis(c.millis, c.picture, c.timezone)
		picCheck(t, c.name, got, err, c.want, c.code)
	}
}

// TestToMillisBehaviour pins behaviour the suite does not cover.
func TestToMillisBehaviour(t *testing.T) {
	cases := []picToMillisCase{
		{"offset with colon", "2018-02-01T09:42:13+01:00", "", "", "1517474533000", false, ""},
		{"ISO with millis", "2017-11-07T15:07:54.972Z", "", "", "1510067274972", false, ""},
		{"one fraction digit", "2018-02-01T09:42:13.1Z", "", "", "1517478133100", false, ""},
		{"no offset means UTC", "2018-02-01T09:42:13", "", "", "1517478133000", false, ""},
		{"year and month", "2018-02", "", "", "1517443200000", false, ""},
		{"hour 24", "2018-02-01T24:00:00Z", "", "", "1517529600000", false, ""},
		{"month 13", "2018-13-01", "", "", "", false, "D3110"},
		{"30 February", "2018-02-30", "", "", "", false, "D3110"},
		{"minutes only", "2018-02-01T09:42Z", "", "", "", false, "D3110"},
		{"empty", "", "", "", "", false, "D3110"},
		{"year and month picture", "2018-05", "[Y]-[M]", "", "1525132800000", false, ""},
		{"month abbreviation", "4 mar 2018 6:30 PM", "[D] [MNn] [Y] [h]:[m] [P]", "", "1520188200000", false, ""},
		{"unknown month", "4 Smarch 2018", "[D] [MNn] [Y]", "", "", true, ""},
		{"trailing text", "2018-05-01x", "[Y]-[M]-[D]", "", "", true, ""},
		{"day of year ignored beside a month", "2018-05-100", "[Y]-[M]-[d]", "", "1525132800000", false, ""},
		{"day of year then hour is a gap", "2018-100 10", "[Y]-[d] [H]", "", "", false, "D3136"},
		{"12-hour clock without am/pm is a gap", "2018-03-04 10:30", "[Y]-[M]-[D] [h]:[m]", "", "", false, "D3136"},
		{"two-digit year", "18-03-04", "[Y]-[M]-[D]", "", "-1635638400000", false, ""},
		{"literals match in any case", "2018-03-04t18:30", "[Y]-[M]-[D]T[H]:[m]", "", "1520188200000", false, ""},
		{"adjacent fields take exact widths", "201803041830", "[Y0001][M01][D01][H01][m01]", "", "1520188200000", false, ""},
		{"negative half-hour offset", "2018-03-04 18:30 -05:30", "[Y]-[M]-[D] [H]:[m] [Z]", "", "1520208000000", false, ""},
		{"week date after match only", "no match", "[X]-[W]-[F1]", "", "", true, ""},
		{"era cannot be read", "ISO 2018", "[E] [Y]", "", "", false, "D3133"},
		{"out of JavaScript range", "999999-01-01", "[Y]-[M]-[D]", "", "", true, ""},
	}
	for _, c := range cases {
		ms, ok, err := toMillis(c.timestamp, c.picture)
		switch {
		case c.code != "":
			picCheck(t, c.name, "", err, "", c.code)
		case c.undefined:
			if ok || err != nil {
				t.Errorf("%s: got (%d, %v, %v), want undefined", c.name, ms, ok, err)
			}
		case err != nil || !ok || fmt.Sprint(ms) != c.want:
			t.Errorf("%s: got (%d, %v, %v), want %s", c.name, ms, ok, err, c.want)
		}
	}
}

// TestToMillisDefaultsFromNow checks the fields taken from the current
// time when a picture starts below the year.
func TestToMillisDefaultsFromNow(t *testing.T) {
	now := time.Date(2021, 6, 15, 20, 45, 10, 123e6, time.UTC)
	cases := []struct {
		timestamp, picture, want string
	}{
		{"12:30", "[h]:[m]", "2021-06-15T00:30:00.000Z"},
		{"12:30 pm", "[h]:[m] [P]", "2021-06-15T12:30:00.000Z"},
		{"03-04", "[M]-[D]", "2021-03-04T00:00:00.000Z"},
		{"07", "[D]", "2021-06-07T00:00:00.000Z"},
		{"30", "[s]", "2021-06-15T20:45:30.000Z"},
	}
	for _, c := range cases {
		ms, ok, err := picToMillisAt(c.timestamp, c.picture, now)
		if err != nil || !ok {
			t.Errorf("%q %q: (%v, %v)", c.timestamp, c.picture, ok, err)
			continue
		}
		got, _ := fromMillis(ms, "", "")
		if got != c.want {
			t.Errorf("%q %q: got %s, want %s", c.timestamp, c.picture, got, c.want)
		}
	}
}
