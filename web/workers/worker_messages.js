// A worker's message loop: each message goes to the handler of its type; an
// unknown type, or a handler that throws, is reported through `fail(error,
// msg)` with the message that caused it. Both workers use it.
export function handleMessages(handlers, fail) {
  self.onmessage = async (event) => {
    const msg = event.data;
    const handler = msg && Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : null;
    if (!handler) return fail(new Error(`unknown message ${msg && msg.type}`), msg || {});
    try {
      await handler(msg);
    } catch (e) {
      fail(e, msg);
    }
  };
}
