using System.Globalization;

namespace NetOpsBot.Lab;

/// <summary>What this process may do to build the namespaced lab, read once from the kernel and the file system.</summary>
/// <param name="Root">Effective uid 0.</param>
/// <param name="NetAdmin">CAP_NET_ADMIN in the effective set (veths, addresses, routes).</param>
/// <param name="SysAdmin">CAP_SYS_ADMIN in the effective set (unshare and setns of a network namespace).</param>
/// <param name="MissingTools">Programs the namespaced lab runs that are not installed.</param>
public sealed record LabNetworkCapabilities(bool Root, bool NetAdmin, bool SysAdmin, IReadOnlyList<string> MissingTools)
{
    /// <summary>The programs the namespaced lab runs, by the absolute paths it runs them from.</summary>
    public static readonly IReadOnlyList<string> Tools = ["/usr/sbin/ip", "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/bin/ss"];

    /// <summary>
    /// Cheap and honest: the effective uid and capability set from /proc/self/status (a root without
    /// CAP_NET_ADMIN, as in a restricted container, cannot build veths), and whether the tools exist.
    /// </summary>
    public static LabNetworkCapabilities Probe()
    {
        uint? uid = null;
        ulong caps = 0;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                // "Uid:\treal\teffective\tsaved\tfs" and "CapEff:\t<hex>"
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var parts = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
                    uid = parts.Length >= 3 && uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : null;
                }
                else if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    _ = ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out caps);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No /proc: not a Linux this lab can build namespaces on.
        }

        const int capNetAdmin = 12;
        const int capSysAdmin = 21;
        return new LabNetworkCapabilities(
            uid == 0,
            (caps & (1UL << capNetAdmin)) != 0,
            (caps & (1UL << capSysAdmin)) != 0,
            [.. Tools.Where(t => !File.Exists(t))]);
    }
}

/// <summary>Which network the lab runs on, and the one sentence that says why.</summary>
public sealed record LabNetworkDecision(LabNetworkMode Mode, string Reason)
{
    /// <summary>
    /// <see cref="LabNetworkMode.Auto"/> becomes namespaces when this process can build them, else the
    /// loopback lab; an explicit mode is kept (an explicit namespaces without root fails when the lab
    /// builds them, with the kernel's reason).
    /// </summary>
    public static LabNetworkDecision Resolve(LabNetworkMode requested, LabNetworkCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        switch (requested)
        {
            case LabNetworkMode.Loopback:
                return new(LabNetworkMode.Loopback, "loopback lab (requested)");
            case LabNetworkMode.Namespaces:
                return new(LabNetworkMode.Namespaces, "network namespaces (requested)");
        }

        if (!capabilities.Root)
        {
            return new(LabNetworkMode.Loopback, "network namespaces need root; running the loopback lab");
        }

        if (!capabilities.NetAdmin || !capabilities.SysAdmin)
        {
            var missing = string.Join(" and ", new[] { (capabilities.NetAdmin, "CAP_NET_ADMIN"), (capabilities.SysAdmin, "CAP_SYS_ADMIN") }.Where(c => !c.Item1).Select(c => c.Item2));
            return new(LabNetworkMode.Loopback, $"network namespaces need {missing}, which this root process has not got (a restricted container?); running the loopback lab");
        }

        if (capabilities.MissingTools.Count > 0)
        {
            return new(LabNetworkMode.Loopback, $"network namespaces need {string.Join(", ", capabilities.MissingTools)} (iproute2, util-linux); running the loopback lab");
        }

        return new(LabNetworkMode.Namespaces, "running as root with CAP_NET_ADMIN, ip, nsenter and unshare: network namespaces");
    }
}
