// Test handlers for the Node.js bootstrap.
let calls = 0;

exports.greet = async (event, context) => {
  calls++;
  return {
    greeting: `${process.env.GREETING || "Hello"} ${event.name}`,
    requestId: context.awsRequestId,
    function: context.functionName,
    memory: context.memoryLimitInMB,
    arn: context.invokedFunctionArn,
    hasTime: context.getRemainingTimeInMillis() > 0,
    calls,
  };
};

exports.callback = (event, context, callback) => {
  setImmediate(() => callback(null, { doubled: event.n * 2 }));
};

exports.callbackError = (event, context, callback) => {
  callback(new TypeError("bad input"));
};

class PaymentDeclined extends Error {
  constructor(message) {
    super(message);
    this.name = "PaymentDeclined";
  }
}

exports.fail = async (event) => {
  throw new PaymentDeclined(`card ${event.card} declined`);
};

exports.throwString = async () => {
  throw "plain string";
};

exports.sleep = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.ms));
  return { slept: event.ms };
};

exports.crash = async () => {
  process.exit(3);
};

exports.nothing = async () => {};

exports.exitLater = async () => {
  setTimeout(() => process.exit(2), 50);
  return "ok";
};
