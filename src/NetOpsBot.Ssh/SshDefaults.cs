using Renci.SshNet;

namespace NetOpsBot.Ssh;

internal static class SshDefaults
{
    private const string Curve25519 = "curve25519-sha256";

    /// <summary>
    /// Puts curve25519-sha256 first and drops the post-quantum hybrids from the offer. SSH.NET's default,
    /// sntrup761x25519-sha512, costs ~55 ms CPU per handshake (REPORT.md §5: device connect 107 → 50 ms),
    /// paid on every device session, and the VRP fleet does not offer PQ kex, so nothing is lost on the
    /// device hop. Classic DH groups stay as fallbacks for old devices.
    /// </summary>
    public static void PreferClassicalKeyExchange(ConnectionInfo info)
    {
        var all = info.KeyExchangeAlgorithms.ToList();
        if (!all.Any(kv => kv.Key == Curve25519))
        {
            return;
        }

        info.KeyExchangeAlgorithms.Clear();
        foreach (var kv in all.Where(kv => kv.Key == Curve25519).Concat(all.Where(kv => kv.Key != Curve25519 && !IsPostQuantumHybrid(kv.Key))))
        {
            info.KeyExchangeAlgorithms.Add(kv.Key, kv.Value);
        }
    }

    private static bool IsPostQuantumHybrid(string name) =>
        name.StartsWith("sntrup", StringComparison.Ordinal) || name.StartsWith("mlkem", StringComparison.Ordinal);
}
