using System.Net;
using NetOpsBot.Core.Net;

namespace NetOpsBot.Vrp.Diagnosis;

/// <summary>
/// First-match evaluation of a VRP ACL for one source address, as the VTY lines apply it. Assumptions
/// (documented because the card states them): rules are evaluated in ascending rule id; a referenced ACL
/// that does not exist or has no rules permits everything; an ACL with rules denies an unmatched source.
/// Only the source part of a rule is considered (logins are identified by source).
/// </summary>
internal static class AclEvaluator
{
    public static AclVerdict Evaluate(string aclRef, IReadOnlyList<AclConfig> acls, IPAddress source)
    {
        var key = aclRef.StartsWith("name ", StringComparison.Ordinal) ? aclRef[5..].Trim() : aclRef.Trim();
        var acl = acls.FirstOrDefault(a => a.Number == key || string.Equals(a.Name, key, StringComparison.Ordinal));
        if (acl is null || acl.Rules.Count == 0)
        {
            return new AclVerdict(aclRef, acl?.Number, true, null, acl?.Rules ?? [], acl is null ? $"ACL {key} is not configured (permits all)" : $"ACL {key} has no rules (permits all)");
        }

        var ordered = acl.Rules.Select((r, i) => (r, i)).OrderBy(x => x.r.Id ?? int.MaxValue).ThenBy(x => x.i).Select(x => x.r).ToList();
        foreach (var rule in ordered)
        {
            if (!Matches(rule, source))
            {
                continue;
            }

            var permit = rule.Action.Equals("permit", StringComparison.OrdinalIgnoreCase);
            return new AclVerdict(aclRef, acl.Number, permit, rule, ordered, $"ACL {key} rule {rule.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {(permit ? "permits" : "denies")} {source}");
        }

        return new AclVerdict(aclRef, acl.Number, false, null, ordered, $"ACL {key}: no rule matches {source} (denied)");
    }

    internal static bool Matches(AclRule rule, IPAddress source)
    {
        if (rule.Source is null or "any")
        {
            return true;
        }

        if (!Ipv4.TryParseStrict(rule.Source, out var network))
        {
            return false;
        }

        // A missing wildcard or "0" means the single host.
        var wildcard = rule.SourceWildcard is null or "0" ? IPAddress.Any : Ipv4.TryParseStrict(rule.SourceWildcard, out var w) ? w : null;
        if (wildcard is null)
        {
            return false;
        }

        var care = ~ToUInt(wildcard);
        return (ToUInt(network) & care) == (ToUInt(source) & care);
    }

    private static uint ToUInt(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
