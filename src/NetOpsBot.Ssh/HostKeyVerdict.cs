namespace NetOpsBot.Ssh;

public enum HostKeyStatus
{
    Match,

    /// <summary>The host is pinned, but with other keys: a security event.</summary>
    Mismatch,

    /// <summary>No pin for this host:port. Treated like a mismatch: a key is never accepted on first use.</summary>
    Unknown,
}

/// <summary>The result of checking a presented key against known_hosts. Fingerprints are SHA256, unpadded base64.</summary>
public sealed record HostKeyVerdict(HostKeyStatus Status, string Host, int Port, string ActualFingerprint, IReadOnlyList<string> ExpectedFingerprints)
{
    public bool Trusted => Status == HostKeyStatus.Match;

    public string Describe() => Status switch
    {
        HostKeyStatus.Match => $"host key of {Host}:{Port} matches SHA256:{ActualFingerprint}",
        HostKeyStatus.Unknown => $"host key of {Host}:{Port} is not pinned in known_hosts (presented SHA256:{ActualFingerprint}); not accepted",
        _ => $"HOST KEY MISMATCH for {Host}:{Port}: expected {string.Join(" or ", ExpectedFingerprints.Select(f => "SHA256:" + f))}, presented SHA256:{ActualFingerprint}",
    };
}
