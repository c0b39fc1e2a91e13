// Lambda handlers of the lambda-node example.

// price totals the order's items (an async handler).
exports.price = async (event) => {
  const total = event.items.reduce((sum, item) => sum + item.qty * item.price, 0);
  return { total, currency: process.env.CURRENCY };
};

class PaymentDeclined extends Error {
  constructor(message) {
    super(message);
    this.name = "PaymentDeclined";
  }
}

// charge declines test cards ending in 0002 and charges the others (a
// callback-style handler).
exports.charge = (event, context, callback) => {
  if (event.card.endsWith("0002")) {
    callback(new PaymentDeclined(`card ending ${event.card.slice(-4)} was declined`));
    return;
  }
  callback(null, { chargeId: `ch-${event.orderId}`, amount: event.amount });
};
