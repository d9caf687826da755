namespace NetOpsBot.Core.Devices;

/// <summary>Out-of-band access: a console server and the TCP port of the device's line on it.</summary>
public sealed record ConsoleEndpoint(string Server, int Port);
