using System.Globalization;
using System.Net;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Remediation;

/// <summary>What the plans need from the diagnosis (the IOS-XE facts plus the inventory's management subnet).</summary>
public sealed record IosXeRemediationInputs
{
    public string? GatewayIp { get; init; }

    public int VtyFirst { get; init; }

    public int VtyLast { get; init; } = 4;

    public int SshPort { get; init; } = 22;

    public IosAclVerdict? DenyingAcl { get; init; }

    /// <summary>The denying ACL as configured (entries in order), to pick a free sequence number ahead of the deny.</summary>
    public IosAccessList? DenyingAclDefinition { get; init; }

    public IPAddress? ManagementNetwork { get; init; }

    public IPAddress? ManagementWildcard { get; init; }

    public int ConfigApproversRequired { get; init; } = 1;

    /// <summary>The interface holding the management address, as the diagnosis read it from the configuration.</summary>
    public string? ManagementInterface { get; init; }
}

/// <summary>Remediation plans per root cause, in IOS-XE form, built only from <see cref="IosXeCommandTemplates"/>.</summary>
public static class IosXeRemediations
{
    public static IReadOnlyList<RemediationPlan> For(RootCause cause, IosXeRemediationInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(cause);
        ArgumentNullException.ThrowIfNull(inputs);
        var config = ApprovalPolicy.For(RemediationKind.Config, inputs.ConfigApproversRequired);
        var manual = ApprovalPolicy.For(RemediationKind.Manual);
        var plans = new List<RemediationPlan>();
        if (cause == SshUnreachableCauses.ReturnRouteMissing)
        {
            var route = inputs.GatewayIp is null ? null : IosXeCommandTemplates.DefaultRoute.TryRender(Args(("gateway", inputs.GatewayIp))).Command;
            plans.Add(Config("return-route-missing.default-route", cause, $"Add a default route via {inputs.GatewayIp ?? "the gateway"}", config, route)
                with { Notes = route is null ? ["The gateway's IP on the device subnet is unknown: fill it in before applying."] : [] });
        }
        else if (cause == SshUnreachableCauses.SshServerDisabled || cause == SshUnreachableCauses.RsaKeyMissing)
        {
            // IOS has no separate "SSH server on" switch: SSH runs exactly when an RSA key exists.
            plans.Add(Config($"{cause.Code}.crypto-key-generate", cause, "Generate a 2048-bit RSA key (enables SSH) and require SSH v2", config,
                    IosXeCommandTemplates.CryptoKeyGenerateRsa.Render(), IosXeCommandTemplates.IpSshVersion2.Render())
                with
                {
                    Notes =
                    [
                        "IOS needs 'hostname' and 'ip domain name' set before it generates a key ('% Please define a domain-name first.').",
                        "If a key exists IOS asks to replace it; the executor answers 'no'.",
                        "The new host key must be pinned deliberately after creation.",
                    ],
                });
        }
        else if (cause == SshUnreachableCauses.VtyProtocolNotSsh)
        {
            var vty = IosXeCommandTemplates.LineVty.TryRender(Args(("first", Num(inputs.VtyFirst)), ("last", Num(inputs.VtyLast)))).Command;
            plans.Add(Config("vty-protocol-not-ssh.transport-input-ssh", cause, "Allow SSH on the VTY lines", config, vty, vty is null ? null : IosXeCommandTemplates.TransportInputSsh.Render()));
        }
        else if (cause == SshUnreachableCauses.VtyAclDeniesManagement)
        {
            plans.Add(AclPlan(cause, inputs, config));
            if (RemoveAccessClassPlan(cause, inputs, config) is { } remove)
            {
                plans.Add(remove);
            }
        }
        else if (cause == SshUnreachableCauses.ListenerStuck)
        {
            plans.Add(new RemediationPlan("listener-stuck.reload", cause, "Save and reload to rebind the SSH listener",
                [IosXeCommandTemplates.WriteMemory.Render(), IosXeCommandTemplates.Reload.Render()], RemediationKind.Reboot, ApprovalPolicy.For(RemediationKind.Reboot))
            {
                Notes = ["Disruptive: the device is down for its boot time.", "'reload' asks '[confirm]' (answered) and, if the configuration changed since 'write memory', 'Save? [yes/no]' (answered 'no')."],
            });
        }
        else if (cause == SshUnreachableCauses.ManagementInterfaceDown)
        {
            var ifc = inputs.ManagementInterface is null ? null : IosXeCommandTemplates.Interface.TryRender(Args(("interface", inputs.ManagementInterface))).Command;
            plans.Add(Config("mgmt-interface-down.no-shutdown", cause, $"Bring the management interface {inputs.ManagementInterface ?? "(unknown)"} up (no shutdown)", config, ifc, ifc is null ? null : IosXeCommandTemplates.NoShutdown.Render())
                with
                {
                    Notes = ifc is null
                        ? ["The interface holding the management address is unknown: fill it in before applying.", OverConsole]
                        : [OverConsole],
                });
        }
        else if (cause == SshUnreachableCauses.DeviceUnreachable)
        {
            plans.Add(new RemediationPlan("device-unreachable.onsite-check", cause, "Check the device on the console or on site (power, uplink)", [], RemediationKind.Manual, manual));
        }
        else if (cause == SshUnreachableCauses.HostKeyMismatch)
        {
            plans.Add(new RemediationPlan("host-key-mismatch.security-review", cause, "Security review: verify the device's host key out of band", [], RemediationKind.Manual, manual)
            {
                Notes = ["Never auto-accept the new key. Re-pin only after the key is verified on the console."],
            });
        }
        else if (cause == SshUnreachableCauses.JumpHostUnreachable)
        {
            plans.Add(new RemediationPlan("jump-host-unreachable.check-jump-host", cause, "Restore the jump host, then re-run the diagnosis", [], RemediationKind.Manual, manual));
        }

        return plans;
    }

    private const string OverConsole = "SSH cannot reach the switch until this is applied: the plan runs over the console server, the path the diagnosis used.";

    private static RemediationPlan AclPlan(RootCause cause, IosXeRemediationInputs inputs, ApprovalPolicy config)
    {
        var acl = inputs.DenyingAclDefinition;
        var notes = new List<string> { "Current ACL:" };
        notes.AddRange(acl?.Entries.Select(e => "  " + e.Text) ?? []);
        var number = acl?.Number;
        var commands = new List<BoundCommand?>();
        if (acl is null || number is null || inputs.ManagementNetwork is null || inputs.ManagementWildcard is null)
        {
            notes.Add("The ACL is named, unknown, or the management subnet is unknown: a named ACL cannot be rendered from a typed template; edit it by hand.");
            return Config("vty-acl-denies-management.permit-management", cause, $"Permit the management subnet in ACL {inputs.DenyingAcl?.AclName ?? "?"}", config) with { Notes = notes };
        }

        // IOS numbers entries 10, 20, … unless resequenced; running-config hides the numbers of numbered ACLs,
        // so a position gives the default number and the note asks to check "show access-lists" first.
        var sequences = acl.Entries.Select((e, i) => e.Sequence ?? (i + 1) * 10).ToList();
        var deciding = inputs.DenyingAcl?.DecidingEntry;
        var index = deciding is null ? -1 : acl.Entries.ToList().IndexOf(deciding);
        int? seq;
        if (index >= 0)
        {
            var below = index == 0 ? 0 : sequences[index - 1];
            seq = sequences[index] - below > 1 ? sequences[index] - 1 : null;
        }
        else
        {
            seq = (sequences.Count == 0 ? 0 : sequences.Max()) + 10; // implicit deny: append
        }

        if (seq is null)
        {
            notes.Add("No free sequence number ahead of the denying entry: resequence the ACL by hand ('ip access-list resequence').");
        }
        else if (IosXeCommandTemplates.IsStandardNumber(number.Value))
        {
            commands.Add(IosXeCommandTemplates.StandardAcl.TryRender(Args(("acl", Num(number.Value)))).Command);
            commands.Add(IosXeCommandTemplates.StandardPermit.TryRender(Args(("seq", Num(seq.Value)), ("network", inputs.ManagementNetwork.ToString()), ("wildcard", inputs.ManagementWildcard.ToString()))).Command);
        }
        else if (IosXeCommandTemplates.IsExtendedNumber(number.Value))
        {
            commands.Add(IosXeCommandTemplates.ExtendedAcl.TryRender(Args(("acl", Num(number.Value)))).Command);
            commands.Add(IosXeCommandTemplates.ExtendedPermitSsh.TryRender(Args(("seq", Num(seq.Value)), ("network", inputs.ManagementNetwork.ToString()), ("wildcard", inputs.ManagementWildcard.ToString()), ("port", Num(inputs.SshPort)))).Command);
        }

        notes.Add("Sequence numbers assume IOS's default step of 10: check 'show access-lists' before approving.");
        return Config("vty-acl-denies-management.permit-management", cause, $"Permit {inputs.ManagementNetwork}/{inputs.ManagementWildcard} in ACL {number.Value.ToString(CultureInfo.InvariantCulture)}", config, [.. commands]) with { Notes = notes };
    }

    /// <summary>
    /// The blunt alternative: take the numbered ACL off the VTY lines. Offered second, since it opens the lines to
    /// every source the ACL kept out; a named ACL has no typed parameter, so it gets no such plan.
    /// </summary>
    private static RemediationPlan? RemoveAccessClassPlan(RootCause cause, IosXeRemediationInputs inputs, ApprovalPolicy config)
    {
        if (inputs.DenyingAcl is not { AclName: var name } || IosXeText.ToInt(name) is not int number)
        {
            return null;
        }

        var acl = Num(number);
        var vty = IosXeCommandTemplates.LineVty.TryRender(Args(("first", Num(inputs.VtyFirst)), ("last", Num(inputs.VtyLast)))).Command;
        var remove = IosXeCommandTemplates.NoAccessClassIn.TryRender(Args(("acl", acl))).Command;
        return Config("vty-acl-denies-management.remove-access-class", cause, $"Remove access-class {acl} from the VTY lines", config, vty, vty is null ? null : remove) with
        {
            Notes =
            [
                $"Every source ACL {acl} kept out of VTY {Num(inputs.VtyFirst)}-{Num(inputs.VtyLast)} may then try to log in: prefer the permit when the ACL is there on purpose.",
                $"ACL {acl} itself stays defined (other lines or features may use it).",
            ],
        };
    }

    private static RemediationPlan Config(string id, RootCause cause, string title, ApprovalPolicy policy, params BoundCommand?[] body)
    {
        var real = body.Where(c => c is not null).Cast<BoundCommand>().ToList();
        IReadOnlyList<BoundCommand> commands = real.Count == 0
            ? []
            : [IosXeCommandTemplates.ConfigureTerminal.Render(), .. real, IosXeCommandTemplates.End.Render(), IosXeCommandTemplates.WriteMemory.Render()];
        return new RemediationPlan(id, cause, title, commands, RemediationKind.Config, policy);
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Args(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
