using System.Globalization;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;
using NetOpsBot.Vrp.Platform;

namespace NetOpsBot.Vrp.Remediation;

/// <summary>Remediation plans per root cause, built from typed VRP command templates.</summary>
internal static class SshUnreachableRemediations
{
    private static readonly CommandTemplate SystemView = CommandTemplate.Parse("system-view");
    private static readonly CommandTemplate Return = CommandTemplate.Parse("return");
    private static readonly CommandTemplate Save = CommandTemplate.Parse("save");
    private static readonly CommandTemplate Reboot = CommandTemplate.Parse("reboot");
    private static readonly CommandTemplate DefaultRoute = CommandTemplate.Parse("ip route-static 0.0.0.0 0.0.0.0 {gateway:ipv4}");
    private static readonly CommandTemplate SshServerPort = CommandTemplate.Parse("ssh server port {port:ssh-port}");
    private static readonly CommandTemplate StelnetEnable = CommandTemplate.Parse("stelnet server enable");
    private static readonly CommandTemplate RsaCreate = CommandTemplate.Parse("rsa local-key-pair create");
    private static readonly CommandTemplate Vty = CommandTemplate.Parse("user-interface vty {first:int(0..63)} {last:int(0..63)}");
    private static readonly CommandTemplate ProtocolSsh = CommandTemplate.Parse("protocol inbound ssh");
    private static readonly CommandTemplate SshSourceInterface = CommandTemplate.Parse("ssh server-source -i {interface:interface}");
    private static readonly CommandTemplate AclNumber = CommandTemplate.Parse("acl number {acl:int(2000..3999)}");
    private static readonly CommandTemplate Interface = CommandTemplate.Parse("interface {interface:interface}");
    private static readonly CommandTemplate UndoShutdown = CommandTemplate.Parse("undo shutdown");
    private static readonly CommandTemplate AclPermit = CommandTemplate.Parse("rule {rule:int(0..4294967294)} permit source {network:ipv4} {wildcard:ipv4}");

    /// <summary>Every template the VRP plans render (the platform's list; nothing else reaches a device).</summary>
    public static IReadOnlyList<CommandTemplate> Templates { get; } =
        [SystemView, Return, Save, Reboot, DefaultRoute, SshServerPort, StelnetEnable, RsaCreate, Vty, ProtocolSsh, SshSourceInterface, AclNumber, Interface, UndoShutdown, AclPermit];

    public static IEnumerable<RemediationPlan> ForCause(RootCause cause, SshUnreachableFacts facts, SshUnreachableTarget target, int configApproversRequired)
    {
        var config = ApprovalPolicy.For(RemediationKind.Config, configApproversRequired);
        var configuredPort = facts.ConfiguredPort ?? target.ConfiguredPort;
        var acls = facts.PlatformDetail as VrpSshUnreachable.AclDetail;
        var sources = facts.SshSourceInterfaces ?? [];
        var manual = ApprovalPolicy.For(RemediationKind.Manual);
        if (cause == SshUnreachableCauses.ReturnRouteMissing)
        {
            var route = facts.GatewayIp is null ? null : DefaultRoute.TryRender(Args(("gateway", facts.GatewayIp))).Command;
            yield return Config("return-route-missing.default-route", cause, $"Add a default route via {facts.GatewayIp ?? "the gateway"}", config, route)
                with { Notes = route is null ? ["The gateway's IP on the device subnet is unknown (not in the inventory, not learned from the gateway): fill it in before applying."] : [] };
        }
        else if (cause == SshUnreachableCauses.ListenerStuck)
        {
            var port = SshServerPort.TryRender(Args(("port", configuredPort.ToString(CultureInfo.InvariantCulture)))).Command;
            yield return Config("listener-stuck.ssh-server-port", cause, $"Re-apply ssh server port {configuredPort.ToString(CultureInfo.InvariantCulture)}", config, port)
                with { Notes = ["In the reference case this alone did not rebind the listener: expect to need the reboot plan."] };
            yield return new RemediationPlan("listener-stuck.reboot", cause, "Save and reboot to flush the stuck listener", [Save.Render(), Reboot.Render()], RemediationKind.Reboot, ApprovalPolicy.For(RemediationKind.Reboot))
            {
                Notes = ["Disruptive: the device is down for its boot time.", "`save` and `reboot` ask [Y/N]; the executor answers Y."],
            };
        }
        else if (cause == SshUnreachableCauses.SshServerDisabled)
        {
            yield return Config("ssh-server-disabled.enable", cause, "Enable the STelnet server", config, StelnetEnable.Render());
        }
        else if (cause == SshUnreachableCauses.RsaKeyMissing)
        {
            yield return Config("rsa-key-missing.create", cause, "Create the RSA local key pair", config, RsaCreate.Render())
                with { Notes = ["VRP asks for the modulus; answer 2048 or more.", "The new host key must be pinned deliberately after creation."] };
        }
        else if (cause == SshUnreachableCauses.VtyProtocolNotSsh)
        {
            var range = (facts.VtyRange ?? "0 4").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var vty = Vty.TryRender(Args(("first", range.ElementAtOrDefault(0) ?? "0"), ("last", range.ElementAtOrDefault(1) ?? range.ElementAtOrDefault(0) ?? "4"))).Command;
            IReadOnlyList<BoundCommand> body = vty is null ? [] : [vty, ProtocolSsh.Render()];
            yield return Config("vty-protocol-not-ssh.protocol-inbound-ssh", cause, "Allow SSH on the VTY lines", config, [.. body]);
        }
        else if (cause == SshUnreachableCauses.SshSourceExcludesManagement)
        {
            var add = facts.ManagementInterface is null ? null : SshSourceInterface.TryRender(Args(("interface", facts.ManagementInterface))).Command;
            var notes = new List<string>
            {
                "VRP asks 'SSH server source configuration will take effect in the next login. Continue? [Y/N]'; the executor answers Y. Sessions already open are not affected.",
                $"Interfaces SSH answers on now: {(sources.Count == 0 ? "none" : string.Join(", ", sources))}; they stay.",
            };
            if (add is null)
            {
                notes.Insert(0, "The interface holding the management address is unknown (not in the configuration nor in 'display ip interface brief'): fill it in before applying.");
            }

            yield return Config("ssh-source-excludes-management.add-management-interface", cause, $"Let SSH in on the management interface {facts.ManagementInterface ?? "(unknown)"}", config, add)
                with { Notes = notes };
        }
        else if (cause == SshUnreachableCauses.VtyAclDeniesManagement)
        {
            yield return AclPlan("vty-acl-denies-management.permit-management", cause, acls?.DenyingAcl, target.ManagementSubnet, config);
        }
        else if (cause == SshUnreachableCauses.InterfaceAclBlocksManagement)
        {
            var plan = AclPlan("interface-acl-blocks-management.permit-management", cause, acls?.InterfaceAcl, target.ManagementSubnet, config);
            yield return plan with { Notes = [.. plan.Notes, OverConsole] };
        }
        else if (cause == SshUnreachableCauses.ManagementInterfaceDown)
        {
            var ifc = facts.ManagementInterface is null ? null : Interface.TryRender(Args(("interface", facts.ManagementInterface))).Command;
            IReadOnlyList<BoundCommand> body = ifc is null ? [] : [ifc, UndoShutdown.Render()];
            yield return Config("mgmt-interface-down.undo-shutdown", cause, $"Bring the management interface {facts.ManagementInterface ?? "(unknown)"} up (undo shutdown)", config, [.. body])
                with { Notes = ifc is null ? ["The interface holding the management address is unknown: fill it in before applying.", OverConsole] : [OverConsole] };
        }
        else if (cause == SshUnreachableCauses.DeviceUnreachable)
        {
            yield return new RemediationPlan("device-unreachable.onsite-check", cause, "Check the device on the console or on site (power, uplink)", [], RemediationKind.Manual, manual);
        }
        else if (cause == SshUnreachableCauses.HostKeyMismatch)
        {
            yield return new RemediationPlan("host-key-mismatch.security-review", cause, "Security review: verify the device's host key out of band", [], RemediationKind.Manual, manual)
            {
                Notes = ["Never auto-accept the new key. Re-pin only after the key is verified on the console."],
            };
        }
        else if (cause == SshUnreachableCauses.JumpHostUnreachable)
        {
            yield return new RemediationPlan("jump-host-unreachable.check-jump-host", cause, "Restore the jump host, then re-run the diagnosis", [], RemediationKind.Manual, manual);
        }
    }

    private const string OverConsole = "SSH cannot reach the device until this is applied: the executor uses the console server.";

    private static RemediationPlan AclPlan(string planId, RootCause cause, AclVerdict? acl, Ipv4Prefix managementSubnet, ApprovalPolicy config)
    {
        var notes = new List<string> { "Current ACL:" };
        notes.AddRange(acl?.Rules.Select(r => "  " + r.Text) ?? []);
        var existing = acl?.Rules.Where(r => r.Id is not null).Select(r => r.Id!.Value).ToHashSet() ?? [];

        // The permit must come before the rule that denied, so take a free id just below it.
        int? ruleId = null;
        if (acl?.DecidingRule?.Id is int denyId)
        {
            for (var id = denyId - 1; id >= 0; id--)
            {
                if (!existing.Contains(id))
                {
                    ruleId = id;
                    break;
                }
            }
        }
        else
        {
            ruleId = existing.Count == 0 ? 5 : existing.Max() + 5;
        }

        var commands = new List<BoundCommand>();
        var number = acl?.AclNumber;
        var header = number is null ? null : AclNumber.TryRender(Args(("acl", number))).Command;
        var rule = ruleId is null ? null : AclPermit.TryRender(Args(
            ("rule", ruleId.Value.ToString(CultureInfo.InvariantCulture)),
            ("network", managementSubnet.Network.ToString()),
            ("wildcard", managementSubnet.Wildcard.ToString()))).Command;
        if (header is not null && rule is not null)
        {
            commands.Add(header);
            commands.Add(rule);
        }
        else
        {
            notes.Add("No free rule id ahead of the denying rule (or the ACL has no number): renumber the ACL by hand.");
        }

        return Config(planId, cause, $"Permit {managementSubnet} in ACL {acl?.AclRef ?? "?"}", config, [.. commands]) with { Notes = notes };
    }

    private static RemediationPlan Config(string id, RootCause cause, string title, ApprovalPolicy policy, params BoundCommand?[] body)
    {
        var real = body.Where(c => c is not null).Cast<BoundCommand>().ToList();
        IReadOnlyList<BoundCommand> commands = real.Count == 0 ? [] : [SystemView.Render(), .. real, Return.Render()];
        return new RemediationPlan(id, cause, title, commands, RemediationKind.Config, policy);
    }

    private static Dictionary<string, string> Args(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
