namespace NetOpsBot.Core.Access;

/// <summary>Why a CLI session could not be opened. The runbook branches on these, so they are stable.</summary>
public enum DeviceAccessFailure
{
    Other,
    JumpHostUnreachable,

    /// <summary>The device presented a host key that differs from the pinned one: a security event, never auto-accepted.</summary>
    HostKeyMismatch,
    Refused,
    Timeout,
    AuthFailed,
    HandshakeFailed,

    /// <summary>Connected, but the device would not give a CLI (no free VTY, no prompt on the console).</summary>
    SessionRefused,
}
