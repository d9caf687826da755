using System.Globalization;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;

namespace NetOpsBot.Vrp.Platform;

/// <summary>
/// The management interface itself: its admin state (a shut Vlanif leaves the device deaf to the management
/// VLAN) and its inbound packet filter (a <c>traffic-filter</c> drops SYNs before TCP, so probes time out
/// instead of being reset, unlike a VTY ACL).
/// </summary>
internal sealed partial class VrpSshUnreachable
{
    /// <summary>
    /// Reads "display ip interface brief" for the row holding the management address; returns the evidence
    /// line, or null when the output has no such row.
    /// </summary>
    private static async Task<string?> ManagementInterfaceAsync(DeviceCommandRunner run, SshUnreachableTarget target, Learned facts)
    {
        var result = await run(VrpCommands.IpInterfaceBrief).ConfigureAwait(false);
        var ip = target.Device.ManagementIp;
        var row = IpInterfaceBriefParser.Parse(result.Output).FirstOrDefault(r => ip.Equals(r.Address));
        if (row is null)
        {
            return null;
        }

        facts.ManagementInterface ??= row.Interface;
        facts.ManagementInterfaceDown = row.AdminDown;
        var prefix = row.PrefixLength is int len ? $"{ip}/{len.ToString(CultureInfo.InvariantCulture)}" : ip.ToString();
        var state = $"{row.Interface} {prefix}: physical {row.Physical}, protocol {row.Protocol}";
        return row.AdminDown
            ? state + " (administratively down: shutdown)"
            : state;
    }

    /// <summary>
    /// Evaluates the inbound packet filter of the interface holding the management address against the
    /// management source. A packet filter permits what no rule matches (unlike a VTY ACL, which denies it).
    /// </summary>
    private static void EvaluateTrafficFilter(SshUnreachableTarget target, Learned facts, CurrentConfiguration cfg, List<string> problems, List<string> evidence)
    {
        var name = cfg.InterfaceHolding(target.Device.ManagementIp.ToString());
        var ifc = name is null ? null : cfg.Interfaces.FirstOrDefault(i => i.Name == name);
        if (ifc?.TrafficFilterInbound is not { } aclRef)
        {
            facts.InterfaceAclDeniesManagement = name is null ? null : false;
            return;
        }

        facts.ManagementInterface ??= ifc.Name;
        var source = target.ManagementHost;
        var verdict = AclEvaluator.Evaluate(aclRef, cfg.Acls, source);
        var drops = !verdict.Permitted && verdict.DecidingRule is not null;
        facts.InterfaceAclDeniesManagement = drops;
        var lines = new List<string> { $"interface {ifc.Name}: traffic-filter inbound acl {aclRef}" };
        if (!drops)
        {
            lines.Add($"acl {aclRef} lets {source} through ({(verdict.Permitted ? verdict.Reason : "no rule matches: a packet filter permits it")})");
            evidence.AddRange(lines);
            return;
        }

        facts.InterfaceAcl = verdict;
        lines.Add($"acl {aclRef} drops packets from {source} on {ifc.Name}: {verdict.Reason}");
        lines.AddRange(verdict.Rules.Take(MaxEvidenceLines).Select(r => "  " + r.Text));
        facts.InterfaceAclEvidence = lines;
        evidence.AddRange(lines);
        problems.Add($"traffic-filter inbound acl {aclRef} on {ifc.Name} drops the management source {source}");
    }
}
