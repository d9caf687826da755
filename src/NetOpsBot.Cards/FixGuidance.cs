using System.Globalization;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Cards;

/// <summary>
/// What the card says about a fix besides its commands: the order to apply them in, why each one, its risk and
/// whether the evidence says it will not help. Read from the incident's runbook catalogue by root-cause code and kind,
/// so every platform's runbook gets the same reading of the same cause.
/// </summary>
internal static class FixGuidance
{
    /// <summary>Sort key of a fix: path back, then access, then service configuration, then what the evidence doubts, then reboots, then manual work.</summary>
    public static int Rank(RemediationOfferView o, RunbookDefinition? runbook)
    {
        if (o.Kind == RemediationKind.Manual)
        {
            return 5;
        }

        if (o.Kind == RemediationKind.Reboot)
        {
            return 4;
        }

        switch (runbook?.Cause(o.Cause)?.FixPriority)
        {
            case FixPriority.PathBack:
                return 0;
            case FixPriority.Access:
                return 1;
            default:
                return o.Expectation is null ? 2 : 3;
        }
    }

    /// <summary>Why this fix, in one sentence; null when nothing is known beyond its title.</summary>
    public static string? WhyFor(RunbookDefinition? runbook, string cause, RemediationKind kind) =>
        runbook?.Cause(cause) is { } c ? (kind == RemediationKind.Reboot ? c.RebootWhy ?? c.FixWhy : c.FixWhy) : null;

    /// <summary>Set when the verdict's own evidence says a configuration fix will not work, so the card marks it rather than making it the obvious next click.</summary>
    public static string? ExpectationFor(RunbookDefinition? runbook, string cause, RemediationKind kind) =>
        kind == RemediationKind.Config ? runbook?.Cause(cause)?.ConfigFixDoubt : null;

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
