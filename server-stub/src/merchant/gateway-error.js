// A failed call to WeChat: its own code and message when it answered, or why its answer was not trusted.
export class GatewayError extends Error {
  constructor(code, message, status) {
    super(message)
    this.code = code
    this.status = status
  }
}
