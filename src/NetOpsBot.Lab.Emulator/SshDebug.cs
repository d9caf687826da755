using System.Globalization;

namespace NetOpsBot.Lab.Emulator;

/// <summary>Text of the SSH server debug messages; VRP documents the `key_ex / ciph_ctos / ser_host_key / hmac_ctos` vocabulary.</summary>
internal static class SshDebug
{
    public static List<string> Messages(SshConnectionAttempt a, bool keyPresent)
    {
        var peer = string.Create(CultureInfo.InvariantCulture, $"{a.ClientAddress}:{a.ClientPort}");
        var port = a.ServerPort.ToString(CultureInfo.InvariantCulture);
        var accepted = $"SSH server: Accept a new connection. (Client={peer}, ServerPort={port})";
        var version = "SSH server: Version exchange finished. (ServerVersion=SSH-2.0--, ClientVersion=SSH-2.0-OpenSSH)";
        var kexIn = "SSH protocol packet received: key_ex=diffie-hellman-group-exchange-sha256, ser_host_key=ssh-rsa, ciph_ctos=aes256-ctr, hmac_ctos=hmac-sha2-256";
        var kexDone = $"SSH server: Key exchange finished. (Client={peer})";
        return a.Outcome switch
        {
            "connected" =>
            [
                accepted, version, kexIn, kexDone,
                $"SSH server: User authentication succeeded. (Client={peer}, Method=password)",
                $"SSH server: Session channel opened. (Client={peer}, Service=stelnet)",
            ],
            "kex-failed" =>
            [
                accepted, version, kexIn,
                keyPresent
                    ? $"SSH server: Key exchange failed. (Client={peer}, Reason=No matching algorithm)"
                    : $"SSH server: Key exchange failed. (Client={peer}, Reason=No rsa key, the server host key is not available)",
                $"SSH server: Connection closed. (Client={peer})",
            ],
            "auth-failed" =>
            [
                accepted, version, kexIn, kexDone,
                $"SSH server: User authentication failed. (Client={peer}, Method=password)",
                $"SSH server: Connection closed. (Client={peer})",
            ],
            _ => [accepted, $"SSH server: Connection closed by peer. (Client={peer})"],
        };
    }
}
