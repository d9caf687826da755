global using Xunit;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

/// <summary>A lab with an access switch (the reference device) and its aggregation gateway.</summary>
internal sealed class Lab
{
    public const string ManagementClient = "10.99.0.50";

    public Lab(Func<DeviceProfile, DeviceProfile>? access = null, Func<DeviceProfile, DeviceProfile>? gateway = null)
    {
        Network = new VrpNetwork(Time) { ManagementSubnetClients = [ManagementClient] };
        Gateway = Network.Add((gateway ?? (p => p))(GatewayProfile()));
        Access = Network.Add((access ?? (p => p))(AccessProfile()));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    public VrpNetwork Network { get; }

    public VrpDevice Access { get; }

    public VrpDevice Gateway { get; }

    public static DeviceProfile AccessProfile() => new()
    {
        Name = "sw-access-12",
        Interfaces =
        [
            new("Vlanif10", "10.12.0.12", 24),
            new("MEth0/0/1", null, 0),
            new("GigabitEthernet0/0/1", null, 0),
            new("GigabitEthernet0/0/2", null, 0, Up: false),
        ],
        LocalUsers = [new("netops", ["ssh"])],
    };

    public static DeviceProfile GatewayProfile() => new()
    {
        Name = "sw-agg-01",
        Interfaces = [new("Vlanif10", "10.12.0.1", 24), new("Vlanif99", "10.99.0.1", 24), new("GigabitEthernet0/0/1", null, 0)],
    };

    public Term Ssh(VrpDevice? device = null, string client = ManagementClient, int port = 51000) =>
        Term.Open(device ?? Access, new SessionOrigin(SessionTransport.Ssh, client, port, 22, "netops"));

    public Term Console(VrpDevice? device = null) =>
        Term.Open(device ?? Access, new SessionOrigin(SessionTransport.Console, "console", 0, 0, "admin"));

    public static void Reboot(Term t)
    {
        var text = t.Send("reboot\r");
        if (text.Contains("Continue? [Y/N]:", StringComparison.Ordinal))
        {
            t.Send("n\r");
        }

        t.Send("y\r");
    }
}

/// <summary>Drives one session like a raw PTY client: feed bytes, collect everything the device writes.</summary>
internal sealed class Term : IDisposable
{
    private readonly StringBuilder _all = new();
    private readonly Lock _gate = new();

    private Term(VrpSession session)
    {
        Session = session;
        session.Output += b =>
        {
            lock (_gate)
            {
                _all.Append(Encoding.UTF8.GetString(b.Span));
            }
        };
        session.Closed += r =>
        {
            lock (_gate)
            {
                ClosedReasons.Add(r);
            }
        };
    }

    public VrpSession Session { get; }

    public List<string> ClosedReasons { get; } = [];

    public string All
    {
        get
        {
            lock (_gate)
            {
                return _all.ToString();
            }
        }
    }

    public static Term Open(VrpDevice device, SessionOrigin origin)
    {
        var t = new Term(device.OpenSession(origin));
        t.Session.Start();
        return t;
    }

    /// <summary>Sends raw text and returns what the device wrote in response (input is processed synchronously).</summary>
    public string Send(string text)
    {
        var before = All.Length;
        Session.Input(Encoding.ASCII.GetBytes(text));
        return All[before..];
    }

    /// <summary>Runs one command and returns its output lines without the echo line and the trailing prompt.</summary>
    public List<string> Run(string command)
    {
        var text = Send(command + "\r");
        var lines = text.Split("\r\n").ToList();
        lines.RemoveAt(0);
        if (lines.Count > 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    public string Prompt()
    {
        var all = All;
        return all[(all.LastIndexOf('\n') + 1)..];
    }

    public void Dispose() => Session.Dispose();
}
