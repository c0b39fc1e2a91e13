// Command embed shows stepctl embedded in a Go program: an order workflow
// whose tasks are Go functions, run durably in a bolt database file. Run it
// twice with the same -db file and the second run finds the first run's
// executions.
//
//	go run ./examples/embed -db /tmp/orders.db -order 42
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/bolt"
	"github.com/stepctl/stepctl/tasks"
)

// definition is the order workflow: reserve stock, charge the card (retried
// on a transient error, a declined card is caught), ship the items in
// parallel with the invoice.
const definition = `{
  "Comment": "Order workflow run by the stepctl embedding example",
  "StartAt": "Reserve",
  "States": {
    "Reserve": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Reserve",
      "ResultPath": "$.reservation",
      "Next": "Charge"
    },
    "Charge": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Charge",
      "ResultPath": "$.payment",
      "Retry": [{"ErrorEquals": ["PaymentGatewayBusy"], "IntervalSeconds": 1, "MaxAttempts": 2}],
      "Catch": [{"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.error", "Next": "Declined"}],
      "Next": "Fulfil"
    },
    "Fulfil": {
      "Type": "Parallel",
      "ResultPath": "$.fulfilment",
      "Branches": [
        {"StartAt": "Ship", "States": {"Ship": {"Type": "Map", "ItemsPath": "$.items", "End": true,
          "ItemProcessor": {"StartAt": "ShipItem", "States": {"ShipItem": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Ship", "End": true}}}}}},
        {"StartAt": "Invoice", "States": {"Invoice": {"Type": "Pass",
          "Parameters": {"invoice.$": "$.order"}, "End": true}}}
      ],
      "End": true
    },
    "Declined": {"Type": "Fail", "Error": "OrderDeclined", "Cause": "the card was declined"}
  }
}`

// run executes one order and writes what happened to out.
func run(ctx context.Context, dbPath string, order int, decline bool, out io.Writer) error {
	st, err := bolt.Open(dbPath, nil)
	if err != nil {
		return err
	}
	defer st.Close()

	reg := tasks.NewRegistry()
	reg.Func("Reserve", func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		return json.RawMessage(`{"warehouse":"north"}`), nil
	})
	busy := true
	reg.Func("Charge", func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		if decline {
			return nil, &tasks.Error{Name: "PaymentDeclined", Cause: "insufficient funds"}
		}
		if busy { // the first attempt meets a busy gateway and is retried
			busy = false
			return nil, &tasks.Error{Name: "PaymentGatewayBusy", Cause: "try again"}
		}
		return json.RawMessage(`{"charged":true}`), nil
	})
	reg.Func("Ship", func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		var item string
		if err := json.Unmarshal(in, &item); err != nil {
			return nil, err
		}
		return json.Marshal("shipped " + item)
	})

	eng, err := engine.Open(ctx, engine.Options{
		Store:     st,
		Tasks:     reg,
		SkipWaits: true, // run retry delays instantly in this demo
		OnEvent: func(arn string, ev engine.HistoryEvent) {
			fmt.Fprintf(out, "  %3d %s\n", ev.ID, ev.Type)
		},
	})
	if err != nil {
		return err
	}
	defer eng.Close()

	sm, err := eng.CreateStateMachine(ctx, "orders", definition)
	if err != nil {
		return err
	}
	input := fmt.Sprintf(`{"order":%d,"items":["book","pen"]}`, order)
	ex, err := eng.StartExecution(ctx, sm.ARN, input, engine.WithName(fmt.Sprintf("order-%d", order)))
	if errors.Is(err, engine.ErrExecutionAlreadyExists) {
		fmt.Fprintf(out, "order %d was already processed by an earlier run\n", order)
		ex, err = eng.DescribeExecution(ctx, sm.ARN[:len(sm.ARN)-len(":stateMachine:orders")]+fmt.Sprintf(":execution:orders:order-%d", order))
	}
	if err != nil {
		return err
	}
	ex, err = eng.WaitExecution(ctx, ex.ARN)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s\n", ex.Name, ex.Status)
	if ex.Status == "SUCCEEDED" {
		fmt.Fprintf(out, "output: %s\n", ex.Output)
	} else {
		fmt.Fprintf(out, "error: %s (%s)\n", ex.Error, ex.Cause)
	}
	return nil
}

func main() {
	db := flag.String("db", "orders.db", "the bolt database file")
	order := flag.Int("order", 1, "the order number (the execution is named order-<n>)")
	decline := flag.Bool("decline", false, "make the payment fail")
	flag.Parse()
	if err := run(context.Background(), *db, *order, *decline, os.Stdout); err != nil {
		log.Fatal(err)
	}
}
