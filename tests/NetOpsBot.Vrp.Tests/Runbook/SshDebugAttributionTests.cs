using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// A SYN left pending at the jump host while the switch had no route back completes once the route is typed,
/// on the port that listens: its debug lines land in the next capture and are not the attempt's.
/// </summary>
public sealed class SshDebugAttributionTests
{
    private static VrpLogEntry Line(string message) => new(VrpLogKind.Debug, null, "sw-access-12", "SSH", 7, "SSH_DEBUG", message);

    [Fact]
    public void LinesOfAConnectionToAnotherPort_AreNotTheAttempts()
    {
        var entries = new[]
        {
            Line("SSH server: Accept a new connection. (Client=10.200.0.10:34162, ServerPort=64443)"),
            Line("SSH server: Version exchange finished. (ServerVersion=SSH-2.0--, ClientVersion=SSH-2.0-OpenSSH)"),
            Line("SSH server: Key exchange finished. (Client=10.200.0.10:34162)"),
            Line("SSH server: Connection closed by peer. (Client=10.200.0.10:34162)"),
        };

        var (attempt, other, ports) = SshDebugAttribution.Split(entries, 22);

        Assert.Empty(attempt);
        Assert.Equal(4, other.Count);
        Assert.Equal([64443], ports);
    }

    [Fact]
    public void LinesOfTheAttemptedPort_AndLinesNamingNoPort_AreCounted()
    {
        var entries = new[]
        {
            Line("SSH server: Accept a new connection. (Client=10.200.0.10:40000, ServerPort=22)"),
            Line("SSH server: Version exchange finished. (ServerVersion=SSH-2.0--, ClientVersion=SSH-2.0-OpenSSH)"),
            Line("The SSH user failed to login."),
        };

        var (attempt, other, _) = SshDebugAttribution.Split(entries, 22);

        Assert.Equal(3, attempt.Count);
        Assert.Empty(other);
    }
}
