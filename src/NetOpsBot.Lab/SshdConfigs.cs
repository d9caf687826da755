namespace NetOpsBot.Lab;

/// <summary>
/// The sshd configurations the lab writes: the jump host (a hardened bastion: key only, forwarding to the lab's
/// devices and console lines, no shell), the console server, each switch's listeners, and what they all share.
/// </summary>
internal static class SshdConfigs
{
    public const string Common = """
        UsePAM no
        StrictModes no
        PermitRootLogin no
        X11Forwarding no
        AllowAgentForwarding no
        PermitTunnel no
        GatewayPorts no
        PrintMotd no
        PrintLastLog no
        Compression no
        LogLevel VERBOSE
        MaxStartups 64:30:128
        LoginGraceTime 30
        ClientAliveInterval 0

        """;


    public static string JumpHost(string endpoint, string hostKey, string authorizedKeys, string permitOpen) => $"""
        ListenAddress {endpoint}
        HostKey {hostKey}
        PidFile none
        {Common}
        AllowUsers {LabHost.JumpUser}
        AuthenticationMethods publickey
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        AuthorizedKeysFile {authorizedKeys}
        PermitTTY no
        ForceCommand /bin/false
        MaxSessions 0
        AllowTcpForwarding local
        AllowStreamLocalForwarding no
        PermitOpen {permitOpen}

        """;

    /// <summary>A password login of the device account whose only command is the VTY shim, told its role (device or console).</summary>
    public static string DeviceLogin(string role, string shimCommand, string vtySocket) => $"""
        AllowUsers {LabHost.DeviceUser}
        PubkeyAuthentication no
        PasswordAuthentication yes
        KbdInteractiveAuthentication no
        PermitEmptyPasswords no
        AuthorizedKeysFile none
        AllowTcpForwarding no
        AllowStreamLocalForwarding no
        MaxSessions 10
        ForceCommand {shimCommand}
        SetEnv NETOPSBOT_LAB_SOCKET={vtySocket} NETOPSBOT_LAB_ROLE={role}

        """;

    /// <summary>
    /// What an IOS-XE switch's sshd appends to its banner. A Catalyst sends "SSH-2.0-Cisco-1.25"; OpenSSH's software
    /// version cannot be replaced, so the banner stays OpenSSH's and says plainly what stands behind it
    /// ("SSH-2.0-OpenSSH_9.2p1 Debian-... NetOpsBot-lab-emulated-Cisco-IOS-XE"), distinguishable from a VRP switch's.
    /// </summary>
    public const string IosXeVersionAddendum = "NetOpsBot-lab-emulated-Cisco-IOS-XE";

    public static string ConsoleServer(IEnumerable<string> endpoints, string hostKey, string deviceLogin) =>
        string.Join(string.Empty, endpoints.Select(e => $"ListenAddress {e}\n")) + $"""
            HostKey {hostKey}
            PidFile none
            {Common}
            {deviceLogin}
            """;

    /// <summary>
    /// A switch's SSH listeners. Without an RSA key pair VRP cannot complete a key exchange; offering only RSA host
    /// key algorithms with no RSA key loaded makes the real sshd fail the handshake the same way.
    /// </summary>
    public static string Device(IEnumerable<string> endpoints, string hostKey, string deviceLogin, string? versionAddendum = null) =>
        string.Join(string.Empty, endpoints.Select(e => $"ListenAddress {e}\n")) + $"""
            HostKey {hostKey}
            HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256
            PidFile none
            {(versionAddendum is null ? string.Empty : "VersionAddendum " + versionAddendum)}
            {Common}
            {deviceLogin}
            """;
}
