// Command gohandler is a test Lambda function built with aws-lambda-go: it
// greets, fails or sleeps as the event asks.
package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Name    string `json:"name"`
	Fail    bool   `json:"fail"`
	SleepMS int    `json:"sleepMs"`
	Exit    bool   `json:"exit"`
}

type result struct {
	Greeting string `json:"greeting"`
	Function string `json:"function"`
	Request  string `json:"requestId"`
	Calls    int    `json:"calls"`
	Env      string `json:"env"`
}

var calls int

func handle(ctx context.Context, ev event) (result, error) {
	calls++
	if ev.Fail {
		return result{}, errors.New("go says no")
	}
	if ev.Exit {
		os.Exit(4)
	}
	time.Sleep(time.Duration(ev.SleepMS) * time.Millisecond)
	lc, _ := lambdacontext.FromContext(ctx)
	return result{Greeting: "Hello " + ev.Name, Function: lambdacontext.FunctionName, Request: lc.AwsRequestID, Calls: calls, Env: os.Getenv("GREETING")}, nil
}

func main() { lambda.Start(handle) }
