package program

import (
	"testing"

	"github.com/stepctl/stepctl/asl"
)

func TestContextReaders(t *testing.T) {
	def := `{"StartAt":"P","States":{
	  "P":{"Type":"Pass","Parameters":{"a.$":"$.x"},"Next":"C"},
	  "C":{"Type":"Choice","Choices":[{"Variable":"$$.Execution.Id","IsPresent":true,"Next":"F"}],"Default":"F"},
	  "F":{"Type":"Pass","Parameters":{"id.$":"States.Format('{}', $$.State.Name)"},"Next":"Par"},
	  "Par":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","OutputPath":"$$.Execution","End":true}}}],"Next":"J"},
	  "J":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","Next":"K"},
	  "K":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $x %}","Next":"W"},
	  "W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}`
	d, ds := asl.Load([]byte(def), asl.ValidateOptions{Severity: asl.SeverityError})
	if err := ds.Err(); err != nil {
		t.Fatal(err)
	}
	p, err := Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	got := p.ContextReaders()
	want := map[string]bool{"C": true, "F": true, "B": true, "J": true}
	for _, name := range []string{"P", "C", "F", "Par", "B", "J", "K", "W"} {
		if got[name] != want[name] {
			t.Errorf("%s: ContextReaders says %v, want %v", name, got[name], want[name])
		}
	}
}
