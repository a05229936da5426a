using System.Net;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>One address the gateway answers on, and what a message received there is taken to be.</summary>
internal sealed record GatewayListener(IPEndPoint EndPoint, GatewayOrigin Origin);
