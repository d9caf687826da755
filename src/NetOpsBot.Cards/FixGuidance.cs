using System.Globalization;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Cards;

/// <summary>
/// What the card says about a fix besides its commands: the order to apply them in, why each one, its risk and
/// whether the evidence says it will not help. Keyed by root-cause code and kind, so every platform's runbook gets
/// the same reading of the same cause.
/// </summary>
internal static class FixGuidance
{
    // A fix that restores the path back to the management subnet comes first: until replies have a path, nothing
    // else (not even whether a fix worked) can be verified remotely.
    private static readonly HashSet<string> PathBack = new(StringComparer.Ordinal)
    {
        RootCause.ReturnRouteMissing.Code,
        RootCause.ManagementInterfaceDown.Code,
        RootCause.InterfaceAclBlocksManagement.Code,
    };

    private static readonly Dictionary<string, string> Why = new(StringComparer.Ordinal)
    {
        [RootCause.ReturnRouteMissing.Code] = "Replies have no path back to the management subnet: nothing can be verified remotely until this is in.",
        [RootCause.ManagementInterfaceDown.Code] = "The management address is down with its interface: nothing is reachable until it is up.",
        [RootCause.InterfaceAclBlocksManagement.Code] = "The interface filter drops the management subnet before TCP: nothing is reachable until it passes.",
        [RootCause.SshSourceExcludesManagement.Code] = "SSH does not answer on the management interface.",
        [RootCause.VtyAclDeniesManagement.Code] = "The VTY ACL rejects logins from the management subnet.",
        [RootCause.SshServerDisabled.Code] = "Nothing accepts SSH until the server is enabled.",
        [RootCause.RsaKeyMissing.Code] = "The SSH handshake cannot complete without a host key.",
        [RootCause.VtyProtocolNotSsh.Code] = "The VTY lines refuse SSH logins.",
        [RootCause.DeviceUnreachable.Code] = "The device answers on no port: only the console or a site visit can tell why.",
        [RootCause.HostKeyMismatch.Code] = "A different host key can be an interception: it is never accepted automatically.",
        [RootCause.JumpHostUnreachable.Code] = "Nothing about the device can be learned without the jump host.",
    };

    /// <summary>Sort key of a fix: path back, then service configuration, then what the evidence doubts, then reboots, then manual work.</summary>
    public static int Rank(RemediationOfferView o)
    {
        if (o.Kind == RemediationKind.Manual)
        {
            return 5;
        }

        if (o.Kind == RemediationKind.Reboot)
        {
            return 4;
        }

        if (o.Cause is { } c && PathBack.Contains(c))
        {
            return 0;
        }

        if (o.Cause == RootCause.SshSourceExcludesManagement.Code || o.Cause == RootCause.VtyAclDeniesManagement.Code)
        {
            return 1;
        }

        return o.Expectation is null ? 2 : 3;
    }

    /// <summary>Why this fix, in one sentence; null when nothing is known beyond its title.</summary>
    public static string? WhyFor(string cause, RemediationKind kind) =>
        cause == RootCause.ListenerStuck.Code
            ? kind == RemediationKind.Reboot
                ? "A reboot re-binds the SSH listener on the configured port."
                : "Re-applies the configured SSH port."
            : Why.GetValueOrDefault(cause);

    /// <summary>
    /// Set when the verdict's own evidence says the fix will not work: re-applying the port leaves a stuck listener
    /// where it is (the reference case), so the card marks it rather than making it the obvious next click.
    /// </summary>
    public static string? ExpectationFor(string cause, RemediationKind kind) =>
        cause == RootCause.ListenerStuck.Code && kind == RemediationKind.Config
            ? "Expected not to help: the listener is stuck (re-applying the port does not re-bind it)."
            : null;

    /// <summary>What can go wrong; for a reboot the impact on everyone using the device.</summary>
    public static string RiskFor(RemediationKind kind, string device, TimeSpan? bootTime) => kind switch
    {
        RemediationKind.Reboot => $"Drops every session on {device}; expected back in {BootText(bootTime)}.",
        RemediationKind.Manual => "Done by a person: the bot sends nothing to the device.",
        _ => "Changes the running configuration only; sessions stay up.",
    };

    private static string BootText(TimeSpan? bootTime) => bootTime switch
    {
        null => string.Create(CultureInfo.InvariantCulture, $"up to ~{(int)BootTimes.AccessSwitchDefault.TotalMinutes} min (typical access switch; the inventory gives no boot time)"),
        { TotalSeconds: < 90 } t => string.Create(CultureInfo.InvariantCulture, $"~{Math.Max(1, (int)Math.Round(t.TotalSeconds))} s"),
        { } t => string.Create(CultureInfo.InvariantCulture, $"~{(int)Math.Round(t.TotalMinutes)} min"),
    };
}
