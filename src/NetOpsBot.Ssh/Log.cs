using Microsoft.Extensions.Logging;

namespace NetOpsBot.Ssh;

/// <summary>
/// Source-generated log messages. Nothing here takes a password or a command's output: only names,
/// addresses, fingerprints, sizes and durations, so a log file is safe to attach to a ticket.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Jump host {JumpHost}: connected (login #{Logins}) in {Ms} ms")]
    public static partial void JumpConnected(ILogger logger, string jumpHost, int logins, long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jump host {JumpHost}: unreachable: {Reason}")]
    public static partial void JumpUnreachable(ILogger logger, string jumpHost, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jump host {JumpHost}: connection lost: {Reason}")]
    public static partial void JumpLost(ILogger logger, string jumpHost, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "SECURITY: {Verdict}")]
    public static partial void HostKeyRejected(ILogger logger, string verdict);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: CLI via {Path} open as {Hostname} in {Ms} ms")]
    public static partial void SessionOpened(ILogger logger, string device, string path, string hostname, long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Device}: CLI via {Path} failed ({Reason}): {Message}")]
    public static partial void SessionFailed(ILogger logger, string device, string path, string reason, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Device}: '{Command}' answered in {Ms} ms, {Chars} chars")]
    public static partial void CommandDone(ILogger logger, string device, string command, long ms, int chars);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Device}: '{Command}' failed: {Message}")]
    public static partial void CommandFailed(ILogger logger, string device, string command, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: probe {Address}:{Port} via {JumpHost}: {Outcome} ({Detail}) in {Ms} ms")]
    public static partial void Probed(ILogger logger, string device, string address, int port, string jumpHost, string outcome, string detail, long ms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Device}: open phases: forward {ForwardMs} ms, ssh {ConnectMs} ms, shell {ShellMs} ms, prompt+paging {PromptMs} ms")]
    public static partial void OpenPhases(ILogger logger, string device, long forwardMs, long connectMs, long shellMs, long promptMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forward to {Host}:{Port} reported: {Message}")]
    public static partial void ForwardError(ILogger logger, string host, uint port, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SECURITY: refused a local connection to the forward 127.0.0.1:{BoundPort} (jump host {JumpHost} to {Host}:{Port}) from {Originator}: {Reason}")]
    public static partial void TunnelPeerRefused(ILogger logger, string jumpHost, string host, uint port, int boundPort, string originator, string reason);
}
