namespace NetOpsBot.Core.Diagnosis;

/// <summary>
/// The stable set of root causes of the <c>ssh-unreachable</c> runbook. <see cref="Code"/> is persisted and
/// used by cards, tests and later issues: never rename one.
/// </summary>
public sealed record RootCause
{
    private RootCause(string code, string title, string explanation)
    {
        Code = code;
        Title = title;
        Explanation = explanation;
    }

    public static RootCause Healthy { get; } = new(
        "healthy",
        "Healthy",
        "SSH answers on the configured port, the device has a route back to the management subnet and no rule found a fault. If users still cannot connect, look at their client, credentials or the path before the jump host.");

    public static RootCause SshServerDisabled { get; } = new(
        "ssh-server-disabled",
        "SSH server disabled",
        "The STelnet (SSH) server is disabled on the device, so nothing accepts SSH sessions even though the device is reachable. Enabling it with `stelnet server enable` restores the service.");

    public static RootCause RsaKeyMissing { get; } = new(
        "rsa-key-missing",
        "No RSA host key",
        "The device has no RSA local key pair, so the SSH server cannot complete the key exchange: the TCP connection opens and the handshake then fails. Creating the key pair (`rsa local-key-pair create`) fixes it; clients will see a new host key that must be pinned deliberately.");

    public static RootCause ReturnRouteMissing { get; } = new(
        "return-route-missing",
        "No route back to the management subnet",
        "The device has neither a default route nor a route covering the remote management subnet, so it cannot answer connections from there even though its neighbours can reach it at L2/L3. A static default route to the gateway restores the return path.");

    public static RootCause ListenerStuck { get; } = new(
        "listener-stuck",
        "SSH listener stuck on another port",
        "The SSH server is enabled and configured for one port, but the TCP stack listens on another one (the \"ghost port\"), so connections to the configured port are reset at the transport layer and never reach SSH. Re-applying the port alone does not rebind the socket; a save and reboot flushes the management plane's TCP state (reference case).");

    public static RootCause VtyAclDeniesManagement { get; } = new(
        "vty-acl-denies-management",
        "VTY ACL denies the management subnet",
        "An ACL applied inbound on the VTY lines (or to the SSH server) does not permit the management subnet, so logins from it are rejected. The ACL needs a permit rule for the management subnet ahead of the deny.");

    public static RootCause VtyProtocolNotSsh { get; } = new(
        "vty-protocol-not-ssh",
        "VTY lines do not accept SSH",
        "The VTY lines are set to `protocol inbound telnet`, so SSH sessions are refused at login even though the SSH server runs. Setting `protocol inbound ssh` on the VTY lines lets SSH in (and keeps Telnet out).");

    public static RootCause SshSourceExcludesManagement { get; } = new(
        "ssh-source-excludes-management",
        "SSH server source excludes the management interface",
        "`ssh server-source -i` limits the SSH server to the listed interfaces (or `undo ssh server-source all-interface` leaves it none), and the interface holding the device's management address is not among them, so SSH from the management subnet is refused although the server runs. Adding the management interface with `ssh server-source -i <interface>` lets it in again; it takes effect at the next login.");

    public static RootCause ManagementInterfaceDown { get; } = new(
        "mgmt-interface-down",
        "Management interface shut down",
        "The interface holding the device's management address is administratively down (`shutdown`), so the device has no address on the management VLAN: its gateway gets no ARP answer and every port times out, while the console still works. `undo shutdown` on that interface brings the address, its connected route and the routes through it back.");

    public static RootCause InterfaceAclBlocksManagement { get; } = new(
        "interface-acl-blocks-management",
        "Packet filter on the management interface drops the management subnet",
        "A `traffic-filter inbound acl` on the interface holding the management address drops packets from the management subnet before TCP sees them, so connections time out (no RST) while the gateway's ARP and ping still work. Unlike a VTY ACL, which closes the session after the handshake, nothing reaches the SSH server. The ACL needs a permit rule for the management subnet ahead of the deny (or the filter removed from the interface).");

    public static RootCause DeviceUnreachable { get; } = new(
        "device-unreachable",
        "Device unreachable",
        "The device answers on no port, its gateway cannot resolve or ping it and the console gives no prompt: it is down, unpowered or cut off. This needs a console or on-site check (power, uplink), not a configuration change.");

    public static RootCause JumpHostUnreachable { get; } = new(
        "jump-host-unreachable",
        "Jump host unreachable",
        "The bot could not reach the SSH jump host, so nothing could be learned about the device. Restore the jump host (or the bot's path to it) and run the diagnosis again.");

    public static RootCause HostKeyMismatch { get; } = new(
        "host-key-mismatch",
        "Host key mismatch (security event)",
        "The device presented an SSH host key different from the pinned one. This can be a replaced device or regenerated key, or an interception attempt; the run stopped and the new key was not accepted. Verify the key out of band before re-pinning it.");

    public static IReadOnlyList<RootCause> All { get; } =
    [
        Healthy, SshServerDisabled, RsaKeyMissing, ReturnRouteMissing, ListenerStuck,
        VtyAclDeniesManagement, VtyProtocolNotSsh, DeviceUnreachable, JumpHostUnreachable, HostKeyMismatch,
        SshSourceExcludesManagement, ManagementInterfaceDown, InterfaceAclBlocksManagement,
    ];

    public string Code { get; }

    public string Title { get; }

    public string Explanation { get; }

    public static RootCause? FromCode(string? code) => All.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));

    public override string ToString() => Code;
}
