package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// Example registers a Go function as a Lambda function, runs a state
// machine that calls it, and prints the result and the history.
func Example() {
	ctx := context.Background()
	reg := tasks.NewRegistry()
	reg.Func("Greet", func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		var req struct{ Name string }
		if err := json.Unmarshal(in, &req); err != nil {
			return nil, err
		}
		return json.Marshal(map[string]string{"greeting": "Hello, " + req.Name})
	})

	eng, err := engine.Open(ctx, engine.Options{Store: memory.New(), Tasks: reg})
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()

	sm, err := eng.CreateStateMachine(ctx, "hello", `{
	  "StartAt": "Greet",
	  "States": {
	    "Greet": {
	      "Type": "Task",
	      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Greet",
	      "ResultPath": "$.result",
	      "End": true
	    }
	  }
	}`)
	if err != nil {
		log.Fatal(err)
	}
	ex, err := eng.StartExecution(ctx, sm.ARN, `{"Name":"world"}`, engine.WithName("first"))
	if err != nil {
		log.Fatal(err)
	}
	ex, err = eng.WaitExecution(ctx, ex.ARN)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ex.Status, ex.Output)

	events, _, err := eng.GetExecutionHistory(ctx, ex.ARN, engine.HistoryInput{})
	if err != nil {
		log.Fatal(err)
	}
	for _, ev := range events {
		fmt.Println(ev.ID, ev.Type)
	}
	// Output:
	// SUCCEEDED {"Name":"world","result":{"greeting":"Hello, world"}}
	// 1 ExecutionStarted
	// 2 TaskStateEntered
	// 3 LambdaFunctionScheduled
	// 4 LambdaFunctionStarted
	// 5 LambdaFunctionSucceeded
	// 6 TaskStateExited
	// 7 ExecutionSucceeded
}
