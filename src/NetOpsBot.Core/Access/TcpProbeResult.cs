namespace NetOpsBot.Core.Access;

public sealed record TcpProbeResult(int Port, ProbeOutcome Outcome, string Detail, TimeSpan Duration);
