using System.Text;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.IosXe.Tests.Emulator;

/// <summary>A client on an emulated IOS-XE switch: sends lines, returns what the switch printed (prompt included, as a capture would hold it).</summary>
internal sealed class EmulatedCli
{
    private readonly StringBuilder _all = new();
    private int _mark;

    public EmulatedCli(IosXeSwitch device, string client = "10.0.0.5")
    {
        Session = device.OpenSession(client, 51514);
        Session.Output += s => _all.Append(s);
        Session.Closed += why => (IsClosed, CloseReason) = (true, why);
        Session.Start();
        _mark = 0;
    }

    public IosXeCliSession Session { get; }

    public bool IsClosed { get; private set; }

    public string? CloseReason { get; private set; }

    public string Everything => _all.ToString();

    /// <summary>Types <paramref name="line"/> and Enter; returns the capture from the prompt it was typed at up to now.</summary>
    public string Run(string line)
    {
        var start = _all.ToString().LastIndexOfAny(['\n', '\r'], Math.Max(_all.Length - 1, 0)) + 1;
        Session.Receive(line + "\r");
        var text = _all.ToString()[Math.Min(start, _all.Length)..];
        _mark = _all.Length;
        return text;
    }

    /// <summary>Sends raw keys (pager keys); returns what came back.</summary>
    public string Keys(string keys)
    {
        Session.Receive(keys);
        var text = _all.ToString()[_mark..];
        _mark = _all.Length;
        return text;
    }

    /// <summary>Runs a parsed show command and fails on an unparsed result or warnings.</summary>
    public T Parse<T>(string command)
    {
        var r = IosXeParsers.ParseCommand(command, Run(command));
        Assert.True(r.Parsed, $"{command}: {r.Reason}\n{r.Raw}");
        Assert.True(r.Warnings.Count == 0, $"{command}: {string.Join("; ", r.Warnings)}");
        return Assert.IsType<T>(r.Value);
    }
}
