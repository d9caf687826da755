using System.Text;
using NetOpsBot.Lab.Emulator;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.Lab;

/// <summary>
/// One login on an emulated switch of any platform, as the VTY socket and the Telnet server relay it:
/// bytes in, bytes out, and the moment the device ends the session.
/// </summary>
internal interface ILabCliSession : IDisposable
{
    event Action<ReadOnlyMemory<byte>>? Output;

    event Action<string>? Closed;

    bool IsClosed { get; }

    void Start();

    void Input(ReadOnlySpan<byte> data);
}

internal sealed class VrpLabSession(VrpSession inner) : ILabCliSession
{
    public event Action<ReadOnlyMemory<byte>>? Output
    {
        add => inner.Output += value;
        remove => inner.Output -= value;
    }

    public event Action<string>? Closed
    {
        add => inner.Closed += value;
        remove => inner.Closed -= value;
    }

    public bool IsClosed => inner.IsClosed;

    public void Start() => inner.Start();

    public void Input(ReadOnlySpan<byte> data) => inner.Input(data);

    public void Dispose() => inner.Dispose();
}

/// <summary>
/// An IOS-XE session behind the lab's real listeners. The VTY line's own admission (transport input,
/// access-class) is decided here, when the session starts: the real sshd in front has no notion of it, and a
/// Cisco switch that refuses a VTY drops the connection without a word.
/// </summary>
internal sealed class IosXeLabSession : ILabCliSession
{
    private readonly IosXeCliSession _inner;
    private readonly bool _admitted;
    private readonly Action _afterInput;

    /// <param name="afterInput">
    /// Called after each chunk of input: the IOS-XE emulator raises no event for a configuration change that moves
    /// its listeners (crypto key generate/zeroize, transport input), so the lab checks its sockets then.
    /// </param>
    public IosXeLabSession(IosXeCliSession inner, bool admitted, Action afterInput)
    {
        _inner = inner;
        _admitted = admitted;
        _afterInput = afterInput;
        // IOS speaks ASCII; Latin-1 maps every byte to one char and back, so no multi-byte sequence can split across reads.
        _inner.Output += text => Output?.Invoke(Encoding.Latin1.GetBytes(text));
        _inner.Closed += reason => Closed?.Invoke(reason);
    }

    public event Action<ReadOnlyMemory<byte>>? Output;

    public event Action<string>? Closed;

    public bool IsClosed => _inner.IsClosed;

    public void Start()
    {
        if (_admitted)
        {
            _inner.Start();
        }
        else
        {
            _inner.Close();
        }
    }

    public void Input(ReadOnlySpan<byte> data)
    {
        _inner.Receive(Encoding.Latin1.GetString(data));
        _afterInput();
    }

    public void Dispose()
    {
        if (!_inner.IsClosed)
        {
            _inner.Close();
        }
    }
}
