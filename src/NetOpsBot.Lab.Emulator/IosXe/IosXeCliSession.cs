using System.Text;

namespace NetOpsBot.Lab.Emulator.IosXe;

/// <summary>
/// One login on an emulated IOS-XE switch: a line discipline (echo, backspace, Ctrl-Z), IOS's pager
/// (" --More-- " erased with backspaces), its questions ("[confirm]", "[yes/no]:", "[1024]:") and the
/// command interpreter's modes (exec, config, config-line, config-std-nacl). Input is fed with
/// <see cref="Receive"/>; output is raised in order, after the session's lock is released.
/// </summary>
public sealed partial class IosXeCliSession
{
    internal const string More = " --More-- ";

    private static readonly string Erase = new string('\b', More.Length) + new string(' ', More.Length) + new string('\b', More.Length);

    private readonly Lock _gate = new();
    private readonly StringBuilder _line = new();
    private readonly StringBuilder _out = new();
    private State _state = State.NotStarted;
    private bool _swallowLf;
    private Queue<string>? _pending;
    private Action<string>? _answer;
    private string? _question;
    private string? _closeReason; // set when the session closed and Closed has not been raised yet

    internal IosXeCliSession(IosXeSwitch device, string clientAddress, int clientPort, int serverPort, int tty)
    {
        Device = device;
        ClientAddress = clientAddress;
        ClientPort = clientPort;
        ServerPort = serverPort;
        Tty = tty;
    }

    public event Action<string>? Output;

    public event Action<string>? Closed;

    private enum State
    {
        NotStarted,
        Line,
        Paging,
        Question,
        Closed,
    }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _state == State.Closed;
            }
        }
    }

    internal IosXeSwitch Device { get; }

    internal string ClientAddress { get; }

    internal int ClientPort { get; }

    internal int ServerPort { get; }

    internal int Tty { get; }

    internal bool Monitor { get; set; }

    internal bool SshDebug { get; set; }

    internal int ScreenLength { get; set; } = 24;

    internal bool Privileged { get; set; } = true;

    internal Mode CurrentMode { get; set; } = Mode.Exec;

    internal string? ModeTarget { get; set; } // the ACL name or VTY range of a sub-mode

    internal enum Mode
    {
        Exec,
        Config,
        ConfigLine,
        ConfigAcl,
        ConfigIf,
    }

    internal string Prompt
    {
        get
        {
            string host;
            lock (Device.Gate)
            {
                host = Device.Running.Hostname;
            }

            return CurrentMode switch
            {
                Mode.Exec => host + (Privileged ? "#" : ">"),
                Mode.Config => host + "(config)#",
                Mode.ConfigLine => host + "(config-line)#",
                Mode.ConfigAcl => host + "(config-std-nacl)#",
                _ => host + "(config-if)#",
            };
        }
    }

    public void Start()
    {
        Run(() =>
        {
            if (_state != State.NotStarted)
            {
                return;
            }

            _state = State.Line;
            Write("\r\n" + Prompt);
        });
    }

    /// <summary>Feeds what the client typed (any chunking; CR, LF or CRLF end a line).</summary>
    public void Receive(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Run(() =>
        {
            foreach (var c in input)
            {
                if (_state == State.Closed)
                {
                    return;
                }

                if (c == '\n' && _swallowLf)
                {
                    _swallowLf = false;
                    continue;
                }

                _swallowLf = c == '\r';
                switch (_state)
                {
                    case State.Paging:
                        Page(c);
                        break;
                    case State.Line:
                    case State.Question:
                        Key(c);
                        break;
                }
            }
        });
    }

    public void Close() => Run(() => Finish("closed by client"));

    /// <summary>The switch closes the session (reload, power off); raised outside every lock.</summary>
    internal void Drop(string why) => Run(() => Finish(why));

    /// <summary>An asynchronous log/debug line for a "terminal monitor" session: printed on its own line, then the prompt and the partial input again.</summary>
    internal void Async(string line) => Run(() =>
    {
        if (_state is State.Line)
        {
            Write("\r\n" + line + "\r\n" + Prompt + _line);
        }
    });

    private void Run(Action body)
    {
        string text;
        string? closed = null;
        lock (_gate)
        {
            body();
            text = _out.ToString();
            _out.Clear();
            if (_closeReason is not null)
            {
                closed = _closeReason;
                _closeReason = null;
            }
        }

        if (text.Length > 0)
        {
            Output?.Invoke(text);
        }

        if (closed is not null)
        {
            Closed?.Invoke(closed);
        }
    }

    private void Finish(string why)
    {
        if (_state == State.Closed)
        {
            return;
        }

        _state = State.Closed;
        _closeReason = why;
        Device.Detach(this);
    }

    private void Write(string s) => _out.Append(s);

    private void Key(char c)
    {
        if (c is '\r' or '\n')
        {
            var text = _line.ToString();
            _line.Clear();
            Write("\r\n");
            if (_state == State.Question)
            {
                // The handler may ask again or ask the next question (Ask), or close the session (reload).
                var handler = _answer!;
                _answer = null;
                _state = State.Line;
                handler(text.Trim());
            }
            else
            {
                Execute(text);
            }

            if (_state == State.Line)
            {
                Write(Prompt);
            }

            return;
        }

        if (c is '\b' or '\x7f')
        {
            if (_line.Length > 0)
            {
                _line.Length--;
                Write("\b \b");
            }

            return;
        }

        if (c == '\x1a' && _state == State.Line)
        {
            // Ctrl-Z leaves config mode, as "end".
            _line.Clear();
            Write("^Z\r\n");
            if (CurrentMode != Mode.Exec)
            {
                CurrentMode = Mode.Exec;
                ModeTarget = null;
            }

            Write(Prompt);
            return;
        }

        if (c >= ' ' && c != '\x7f' && _line.Length < 510)
        {
            _line.Append(c);
            Write(c.ToString());
        }
    }

    /// <summary>Asks a question and reads one line for it (questions arrive without a newline, as on IOS).</summary>
    private void Ask(string question, Action<string> answer)
    {
        _state = State.Question;
        _answer = answer;
        _question = question;
        Write(question);
    }

    /// <summary>IOS takes "yes"/"no" and their abbreviations; anything else asks the same question again.</summary>
    private Action<string> YesNo(Action<bool> then)
    {
        void Handler(string answer)
        {
            var a = answer.ToLowerInvariant();
            if (a.Length > 0 && ("yes".StartsWith(a, StringComparison.Ordinal) || "no".StartsWith(a, StringComparison.Ordinal)))
            {
                then(a[0] == 'y');
                return;
            }

            Write("% Please answer 'yes' or 'no'.\r\n");
            Ask(_question!, Handler);
        }

        return Handler;
    }

    private void Emit(List<string> lines)
    {
        if (ScreenLength <= 0 || lines.Count < ScreenLength)
        {
            foreach (var l in lines)
            {
                Write(l + "\r\n");
            }

            return;
        }

        _pending = new Queue<string>(lines);
        NextPage(ScreenLength - 1);
    }

    private void NextPage(int count)
    {
        for (var i = 0; i < count && _pending!.Count > 0; i++)
        {
            Write(_pending.Dequeue() + "\r\n");
        }

        if (_pending!.Count > 0)
        {
            _state = State.Paging;
            Write(More);
        }
        else
        {
            _pending = null;
            _state = State.Line;
        }
    }

    private void Page(char c)
    {
        Write(Erase);
        if (c == ' ')
        {
            NextPage(ScreenLength - 1);
        }
        else if (c is '\r' or '\n')
        {
            NextPage(1);
        }
        else
        {
            _pending = null;
            _state = State.Line;
        }

        if (_state == State.Line)
        {
            Write(Prompt);
        }
    }
}
