package jsonata

// defineDateTimeFunctions wires $fromMillis, $toMillis and $now to the
// picture-string date/time helpers of picture_datetime.go.
func defineDateTimeFunctions() {
	define(library, "fromMillis", "<n-s?s?:s>", func(c *call, args []any) (any, error) {
		f, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		picture, _ := arg(args, 1).(string)
		tz, _ := arg(args, 2).(string)
		s, err := fromMillis(int64(f), picture, tz)
		if err != nil {
			return nil, positioned(err, c)
		}
		return s, nil
	})
	define(library, "toMillis", "<s-s?:n>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		picture, _ := arg(args, 1).(string)
		ms, defined, err := toMillis(s, picture)
		if err != nil {
			return nil, positioned(err, c)
		}
		if !defined {
			return undefined, nil
		}
		return float64(ms), nil
	})
	define(library, "now", "<s?s?:s>", func(c *call, args []any) (any, error) {
		picture, _ := arg(args, 0).(string)
		tz, _ := arg(args, 1).(string)
		s, err := fromMillis(c.ev.now.UnixMilli(), picture, tz)
		if err != nil {
			return nil, positioned(err, c)
		}
		return s, nil
	})
}
