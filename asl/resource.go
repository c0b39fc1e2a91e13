package asl

import (
	"slices"
	"strings"
)

// Integration patterns a Task Resource can name with a suffix.
const (
	patternSync             = ".sync"
	patternSync2            = ".sync:2"
	patternWaitForTaskToken = ".waitForTaskToken"
)

// optimizedIntegration is one action of an AWS Step Functions optimized
// service integration (arn:aws:states:::<service>:<action>) and the
// integration-pattern suffixes AWS accepts for it besides none (request and
// response).
type optimizedIntegration struct {
	sync, sync2, waitForTaskToken bool
}

var (
	requestResponse = optimizedIntegration{}
	withSync        = optimizedIntegration{sync: true}
	withCallback    = optimizedIntegration{waitForTaskToken: true}
	withBoth        = optimizedIntegration{sync: true, waitForTaskToken: true}
)

// optimizedIntegrations lists, by service, the actions of AWS's optimized
// service integrations, from the AWS Step Functions Developer Guide
// ("Integrating optimized services with Step Functions" and each service's
// page). Where the guide says a service supports Wait for Callback without
// naming its actions (Amazon Bedrock, Amazon EKS), every action of the
// service accepts ".waitForTaskToken". It is read-only.
var optimizedIntegrations = map[string]map[string]optimizedIntegration{
	"apigateway": {"invoke": withCallback},
	"athena": {
		"startQueryExecution": withSync, "stopQueryExecution": requestResponse,
		"getQueryExecution": requestResponse, "getQueryResults": requestResponse,
	},
	"batch": {"submitJob": withSync},
	"bedrock": {
		"invokeModel":                 withCallback,
		"createModelCustomizationJob": withBoth,
	},
	"codebuild": {
		"startBuild": withSync, "stopBuild": requestResponse, "batchDeleteBuilds": requestResponse,
		"batchGetReports": requestResponse, "startBuildBatch": withSync, "stopBuildBatch": requestResponse,
		"retryBuildBatch": withSync, "deleteBuildBatch": requestResponse,
	},
	"databrew": {"startJobRun": withSync},
	"dynamodb": {
		"getItem": requestResponse, "putItem": requestResponse,
		"updateItem": requestResponse, "deleteItem": requestResponse,
	},
	"ecs": {"runTask": withBoth},
	"eks": {
		"createCluster": withBoth, "deleteCluster": withBoth,
		"createFargateProfile": withBoth, "deleteFargateProfile": withBoth,
		"createNodegroup": withBoth, "deleteNodegroup": withBoth,
		"runJob": withBoth, "call": withCallback,
	},
	"elasticmapreduce": {
		"createCluster": withSync, "terminateCluster": withSync, "addStep": withSync,
		"cancelStep": requestResponse, "setClusterTerminationProtection": requestResponse,
		"modifyInstanceFleetByName": requestResponse, "modifyInstanceGroupByName": requestResponse,
	},
	"emr-containers": {
		"createVirtualCluster": requestResponse, "deleteVirtualCluster": withSync, "startJobRun": withSync,
	},
	"emr-serverless": {
		"createApplication": withSync, "startApplication": withSync, "stopApplication": withSync,
		"deleteApplication": withSync, "startJobRun": withSync, "cancelJobRun": withSync,
	},
	"events":       {"putEvents": withCallback},
	"glue":         {"startJobRun": withSync},
	"http":         {"invoke": requestResponse},
	"lambda":       {"invoke": withCallback},
	"mediaconvert": {"createJob": withSync},
	"sagemaker": {
		"createEndpoint": requestResponse, "createEndpointConfig": requestResponse,
		"createHyperParameterTuningJob": withSync, "createLabelingJob": withSync,
		"createModel": requestResponse, "createProcessingJob": withSync,
		"createTrainingJob": withSync, "createTransformJob": withSync, "updateEndpoint": requestResponse,
	},
	"sns":    {"publish": withCallback},
	"sqs":    {"sendMessage": withCallback},
	"states": {"startExecution": {sync: true, sync2: true, waitForTaskToken: true}},
}

// unrecognizedResource is AWS's message for a Task Resource it does not
// know.
func unrecognizedResource(r string) string {
	return "The resource provided " + r + " is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
}

// checkIntegration checks the part of a Step Functions integration ARN
// after "arn:<partition>:states:::" — "<service>:<action>[<suffix>]" or
// "aws-sdk:<service>:<action>[.waitForTaskToken]" — and returns "" when AWS
// recognises it, else a hint saying what is wrong. partition is used in the
// hint's examples.
func checkIntegration(rest, partition string) (hint string) {
	prefix := "arn:" + partition + ":states:::"
	if sdk, ok := strings.CutPrefix(rest, "aws-sdk:"); ok {
		call, suffix := splitPattern(sdk)
		service, action, ok := strings.Cut(call, ":")
		switch {
		case !ok || !isSDKServiceName(service) || !isSDKActionName(action):
			return "an AWS SDK integration is " + prefix + "aws-sdk:<service>:<apiAction>, e.g. " + prefix + "aws-sdk:s3:listBuckets"
		case suffix != "" && suffix != patternWaitForTaskToken:
			return "AWS SDK integrations support only request-response and " + patternWaitForTaskToken + ", not " + suffix
		}
		return ""
	}
	call, suffix := splitPattern(rest)
	service, action, _ := strings.Cut(call, ":")
	actions, known := optimizedIntegrations[service]
	if !known {
		return "there is no optimized integration for the service '" + service + "'; to call any AWS API use the AWS SDK integration " +
			prefix + "aws-sdk:<service>:<apiAction>"
	}
	it, known := actions[action]
	if !known {
		names := make([]string, 0, len(actions))
		for name := range actions {
			names = append(names, name)
		}
		slices.Sort(names)
		hint := "the optimized " + service + " integration supports " + strings.Join(names, ", ")
		if s := suggest(action, names); s != "" {
			hint = "did you mean " + prefix + service + ":" + s + suffix + "? " + hint
		}
		return hint + "; other actions need the AWS SDK integration " + prefix + "aws-sdk:" + service + ":" + action
	}
	if suffix == "" || suffix == patternSync && it.sync || suffix == patternSync2 && it.sync2 ||
		suffix == patternWaitForTaskToken && it.waitForTaskToken {
		return ""
	}
	var ok []string
	for _, p := range []struct {
		name string
		ok   bool
	}{{patternSync, it.sync}, {patternSync2, it.sync2}, {patternWaitForTaskToken, it.waitForTaskToken}} {
		if p.ok {
			ok = append(ok, p.name)
		}
	}
	if len(ok) == 0 {
		return service + ":" + action + " supports only request-response (no suffix), not " + suffixName(suffix)
	}
	return service + ":" + action + " supports request-response (no suffix) and " + strings.Join(ok, ", ") + ", not " + suffixName(suffix)
}

func suffixName(suffix string) string {
	if suffix == "" {
		return "no suffix"
	}
	return suffix
}

// splitPattern splits an integration-pattern suffix (".sync", ".sync:2",
// ".waitForTaskToken", or any other ".…" after the action) off a call.
func splitPattern(call string) (string, string) {
	for _, p := range []string{patternSync2, patternSync, patternWaitForTaskToken} {
		if c, ok := strings.CutSuffix(call, p); ok {
			return c, p
		}
	}
	if i := strings.LastIndexByte(call, '.'); i >= 0 && !strings.Contains(call[i:], ":") {
		return call[:i], call[i:]
	}
	return call, ""
}

// isSDKServiceName reports whether s looks like an AWS SDK service name as
// the aws-sdk integration spells it (lower case letters, digits, '-').
func isSDKServiceName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && i > 0) {
			return false
		}
	}
	return true
}

// isSDKActionName reports whether s looks like an API action in the
// aws-sdk integration's camelCase form (a letter, then letters and digits).
func isSDKActionName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && i > 0) {
			return false
		}
	}
	return true
}
