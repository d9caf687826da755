using System.Text;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Access;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace NetOpsBot.Ssh;

/// <summary>
/// A device CLI over a PTY shell, spoken in the device's <see cref="IDeviceDialect"/> (prompts, pager, questions,
/// error lines, logout): nothing here knows a vendor. Reading is event-driven: SSH.NET raises DataReceived on its own receive
/// thread, the handler drains the ShellStream (non-blocking: data is there) into a buffer and signals a
/// SemaphoreSlim that commands await. No thread-pool thread ever blocks in ShellStream.Read, which starved
/// a 2-core machine with 20 sessions (issue 3).
/// </summary>
internal sealed class CliSession : IInteractiveCliSession
{
    private const int TailLength = 600;

    private readonly string _device;
    private readonly IDeviceDialect _dialect;
    private readonly ShellStream _shell;
    private readonly SshConnectorOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<ValueTask> _onDispose;
    private readonly Lock _gate = new();
    private readonly StringBuilder _pending = new();
    private readonly List<string> _asyncLines = [];
    private readonly SemaphoreSlim _dataSignal = new(0);
    private readonly SemaphoreSlim _commandGate = new(1, 1);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly byte[] _readBuffer = new byte[32 * 1024];
    private readonly char[] _charBuffer = new char[Encoding.UTF8.GetMaxCharCount(32 * 1024)];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _deadline;
    private long _bytesSinceMark;
    private bool _flooded;
    private bool _inCommand;
    private string? _faulted;
    private DialectPrompt? _lastPrompt;
    private int _disposed;

    public CliSession(string device, IDeviceDialect dialect, ShellStream shell, SshConnectorOptions options, ILogger logger, TimeProvider time, Func<ValueTask> onDispose)
    {
        _device = device;
        _dialect = dialect;
        _shell = shell;
        _options = options;
        _logger = logger;
        _time = time;
        _onDispose = onDispose;
        _deadline = time.GetTimestamp() + (long)(options.RunTimeout.TotalSeconds * time.TimestampFrequency);
        _shell.DataReceived += OnDataReceived;
        _shell.Closed += OnClosed;
        _shell.ErrorOccurred += OnClosed;

        // Anything that arrived between the channel opening and the subscription is already buffered.
        Drain();
    }

    public string Hostname { get; private set; } = string.Empty;

    public string Banner { get; private set; } = string.Empty;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Waits for the first prompt (skipping the banner) and learns the hostname; turns paging off.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var raw = new StringBuilder();
        var nudged = false;
        var answeredAt = -1;
        while (true)
        {
            Take(raw);
            var tail = Tail(raw);
            if (_dialect.FindPromptAtEnd(tail, null) is { } prompt)
            {
                Hostname = prompt.Hostname;
                _lastPrompt = prompt;
                var cleaned = _dialect.Clean(raw.ToString(), null, null);
                Banner = cleaned.Text;
                AddAsyncLines(cleaned.AsyncLogLines);
                break;
            }

            if (_dialect.DetectQuestionAtEnd(tail) is { Kind: DialectQuestionKind.Decision or DialectQuestionKind.Confirm } loginQuestion && raw.Length != answeredAt)
            {
                // E.g. "Change the initial password now? [Y/N]": never agree to anything at login.
                answeredAt = raw.Length;
                Send(_dialect.Reply(loginQuestion, yes: false) + "\r");
            }

            CheckFlood(raw, "login");
            if (IsClosed)
            {
                throw new DeviceAccessException(DeviceAccessFailure.SessionRefused, $"{_device}: the device closed the session before showing a prompt");
            }

            var elapsed = _time.GetElapsedTime(start);
            if (elapsed >= _options.PromptTimeout)
            {
                throw new DeviceAccessException(DeviceAccessFailure.SessionRefused, $"{_device}: connected, but no CLI prompt within {_options.PromptTimeout.TotalSeconds:0.#} s");
            }

            // Console lines often stay silent until a key is pressed: one Enter after a short wait.
            var nudgeAfter = TimeSpan.FromSeconds(Math.Min(2, _options.PromptTimeout.TotalSeconds / 3));
            if (!nudged && elapsed >= nudgeAfter && raw.Length == 0)
            {
                nudged = true;
                Send("\r");
            }

            var wait = nudged ? _options.PromptTimeout - elapsed : nudgeAfter - elapsed;
            await _dataSignal.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
        }

        if (_options.DisablePagingOnOpen && _dialect.DisablePagingCommand is { } pagingOff)
        {
            var r = await RunAsync(pagingOff, _options.CommandTimeout, ConfirmationPolicy.Decline, cancellationToken).ConfigureAwait(false);
            if (r.ErrorLine is not null)
            {
                // Not fatal: the pager is answered anyway.
                Log.CommandFailed(_logger, _device, r.Command, r.ErrorLine);
            }
        }
    }

    public Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(command, timeout, ConfirmationPolicy.Decline, cancellationToken);

    public async Task<CliResult> RunAsync(string command, TimeSpan timeout, ConfirmationPolicy confirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(confirmation);
        if (command.AsSpan().IndexOfAny('\r', '\n') >= 0 || command.Any(char.IsControl))
        {
            throw new ArgumentException("a command is one line without control characters", nameof(command));
        }

        await _commandGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfUnusable();
            return await RunLockedAsync(command, timeout, confirmation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _commandGate.Release();
        }
    }

    public async Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        if (window > TimeSpan.Zero)
        {
            await Task.Delay(window, _time, cancellationToken).ConfigureAwait(false);
        }

        await _commandGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                // Only complete lines: a message still arriving stays for the next call or command.
                var text = _pending.ToString();
                var end = text.LastIndexOf('\n');
                if (end >= 0)
                {
                    _asyncLines.AddRange(_dialect.Clean(text[..(end + 1)], null, Hostname).AsyncLogLines);
                    _pending.Remove(0, end + 1);
                }

                var result = string.Join('\n', _asyncLines);
                _asyncLines.Clear();
                return result;
            }
        }
        finally
        {
            _commandGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!IsClosed && _faulted is null)
            {
                // Leave cleanly so the VTY line is freed at once, then wait for the channel close: disposing
                // right after "quit" sometimes stalls the full 1 s ChannelCloseTimeout (REPORT.md gotcha 23).
                Send(_dialect.Logout(_lastPrompt));
                await Task.WhenAny(_closed.Task, Task.Delay(TimeSpan.FromSeconds(2), _time)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            Log.CommandFailed(_logger, _device, "quit", ex.Message);
        }
        finally
        {
            _shell.DataReceived -= OnDataReceived;
            _shell.Closed -= OnClosed;
            _shell.ErrorOccurred -= OnClosed;
            try
            {
                // Dispose closes the channel and waits for the server's close: a blocking round trip.
                await Blocking.RunAsync(_shell.Dispose).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SshException or ObjectDisposedException or IOException)
            {
                Log.CommandFailed(_logger, _device, "close", ex.Message);
            }

            await _onDispose().ConfigureAwait(false);
            _dataSignal.Dispose();
            _commandGate.Dispose();
        }
    }

    private async Task<CliResult> RunLockedAsync(string command, TimeSpan timeout, ConfirmationPolicy confirmation, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var deadline = Math.Min(start + (long)(timeout.TotalSeconds * _time.TimestampFrequency), _deadline);

        // What arrived since the last prompt is asynchronous (log/debug lines and the re-printed prompt).
        lock (_gate)
        {
            if (_pending.Length > 0)
            {
                AddAsyncLinesLocked(_dialect.Clean(_pending.ToString(), null, Hostname).AsyncLogLines);
                _pending.Clear();
            }

            _bytesSinceMark = 0;
            _flooded = false;
            _inCommand = true;
        }

        try
        {
            return await ExchangeAsync(command, timeout, confirmation, start, deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _inCommand = false;
            }
        }
    }

    private async Task<CliResult> ExchangeAsync(string command, TimeSpan timeout, ConfirmationPolicy confirmation, long start, long deadline, CancellationToken cancellationToken)
    {
        Send(command + "\r");
        var raw = new StringBuilder();
        var echoProbe = command.Length > 40 ? command[..40] : command;
        var echoAt = -1;
        var answeredMoreAt = -1;
        var answeredQuestionAt = -1;
        var answers = 0;
        string? declined = null;
        string? pendingQuestion = null;
        var promptWithoutEcho = false;
        while (true)
        {
            Take(raw);
            CheckFlood(raw, command);
            var tail = Tail(raw);
            if (echoAt < 0)
            {
                echoAt = IndexOfEcho(raw, echoProbe);
            }

            var prompt = _dialect.FindPromptAtEnd(tail, Hostname);
            if (prompt is not null && (echoAt >= 0 || promptWithoutEcho))
            {
                _lastPrompt = prompt;
                return Finish(command, raw.ToString(), start, declined);
            }

            promptWithoutEcho = false;
            if (_dialect.EndsWithPager(tail) && raw.Length != answeredMoreAt)
            {
                // Paging should be off, but a device that ignores it must not hang us.
                answeredMoreAt = raw.Length;
                Send(_dialect.PagerKeystroke);
            }
            else if (confirmation.Mode == ConfirmationMode.Answer && _dialect.DetectQuestionAtEnd(tail) is { Kind: DialectQuestionKind.Value } numberQuestion && raw.Length != answeredQuestionAt)
            {
                // An approved command that asks for a value (modulus bits, destination filename) takes the
                // device's offered default; no digits or names from anywhere else are typed in.
                pendingQuestion = numberQuestion.Text;
                answeredQuestionAt = raw.Length;
                answers++;
                Send("\r");
            }
            else if (_dialect.DetectQuestionAtEnd(tail) is { Kind: DialectQuestionKind.Decision or DialectQuestionKind.Confirm } question && raw.Length != answeredQuestionAt)
            {
                pendingQuestion = question.Text;
                if (confirmation.Mode != ConfirmationMode.LeaveUnanswered)
                {
                    answeredQuestionAt = raw.Length;
                    // An explicit answer covers at most three questions of one command; a device that keeps
                    // asking gets "n" from then on.
                    var explicitAnswer = confirmation.Mode == ConfirmationMode.Answer && answers < 3;
                    var reply = explicitAnswer ? confirmation.ReplyTo(question.Text) : "n";
                    if (!explicitAnswer || (confirmation.ReplyFor is not null && confirmation.ReplyFor(question.Text) is not ("y" or "Y" or "n" or "N")))
                    {
                        declined = "Declined by policy: " + question.Text;
                    }

                    answers++;
                    Send(_dialect.Reply(question, reply == "y") + "\r");
                }
            }

            if (IsClosed && confirmation.Mode == ConfirmationMode.Answer && answers > 0 && declined is null)
            {
                // An approved "reboot" + "y": the device closing the session is the command's success.
                Take(raw);
                Fault("closed by the device after the confirmed command");
                return Finish(command, raw.ToString(), start, null);
            }

            if (IsClosed)
            {
                Fault("closed by the device");
                throw new DeviceAccessException(DeviceAccessFailure.Other, $"{_device}: the session was closed by the device during '{command}'");
            }

            var remaining = TimeSpan.FromSeconds((deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
            {
                var where = pendingQuestion is not null && answeredQuestionAt != raw.Length ? $" (waiting at the unanswered question '{pendingQuestion}')" : string.Empty;
                Fault("command timed out");
                Log.CommandFailed(_logger, _device, command, "timeout" + where);
                throw new TimeoutException($"{_device}: no prompt within {timeout.TotalSeconds:0.#} s after '{command}'{where}; session closed");
            }

            // A prompt with no echo of our command may be a re-print after a log line; give the echo a moment.
            var wait = prompt is not null ? TimeSpan.FromMilliseconds(Math.Min(500, remaining.TotalMilliseconds)) : remaining;
            var signalled = await _dataSignal.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            if (!signalled && prompt is not null)
            {
                promptWithoutEcho = true;
            }
        }
    }

    private CliResult Finish(string command, string raw, long start, string? declined)
    {
        var cleaned = _dialect.Clean(raw, command, Hostname);
        AddAsyncLines(cleaned.AsyncLogLines);
        var error = declined ?? _dialect.FirstErrorLine(cleaned.Text);

        var duration = _time.GetElapsedTime(start);
        Log.CommandDone(_logger, _device, command, (long)duration.TotalMilliseconds, raw.Length);
        return new CliResult(command, cleaned.Text, raw, duration, error);
    }

    private static int IndexOfEcho(StringBuilder raw, string probe)
    {
        var text = raw.Length > 8192 ? raw.ToString(0, 8192) : raw.ToString();
        return text.IndexOf(probe, StringComparison.Ordinal);
    }

    private static string Tail(StringBuilder raw) => raw.Length <= TailLength ? raw.ToString() : raw.ToString(raw.Length - TailLength, TailLength);

    private void CheckFlood(StringBuilder raw, string command)
    {
        bool flooded;
        lock (_gate)
        {
            flooded = _flooded;
        }

        if (flooded || raw.Length > _options.MaxOutputBytes)
        {
            Fault("output flood");
            Log.CommandFailed(_logger, _device, command, "output flood");
            throw new DeviceAccessException(DeviceAccessFailure.Other, $"{_device}: more than {_options.MaxOutputBytes} bytes of output for '{command}' without a prompt; the device floods, session cut off");
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_faulted is not null)
        {
            throw new DeviceAccessException(DeviceAccessFailure.Other, $"{_device}: the session is unusable ({_faulted}); open a new one");
        }

        if (IsClosed)
        {
            throw new DeviceAccessException(DeviceAccessFailure.Other, $"{_device}: the session was closed by the device");
        }
    }

    private void Fault(string reason)
    {
        // After a timeout or flood the device state is unknown: close the channel rather than guess.
        _faulted ??= reason;
        _ = Blocking.RunAsync(() =>
        {
            try
            {
                _shell.Close();
            }
            catch (Exception ex) when (ex is SshException or ObjectDisposedException or IOException)
            {
                Log.CommandFailed(_logger, _device, "close", ex.Message);
            }
        });
    }

    private void Send(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        _shell.Write(bytes, 0, bytes.Length);
        _shell.Flush();
    }

    private void Take(StringBuilder into)
    {
        lock (_gate)
        {
            into.Append(_pending);
            _pending.Clear();
        }
    }

    private void AddAsyncLines(IReadOnlyList<string> lines)
    {
        lock (_gate)
        {
            AddAsyncLinesLocked(lines);
        }
    }

    private void AddAsyncLinesLocked(IReadOnlyList<string> lines)
    {
        _asyncLines.AddRange(lines);

        // Bounded: a chatty terminal monitor must not grow memory without end.
        if (_asyncLines.Count > 10_000)
        {
            _asyncLines.RemoveRange(0, _asyncLines.Count - 10_000);
        }
    }

    private void OnDataReceived(object? sender, ShellDataEventArgs e)
    {
        Drain();
        _dataSignal.Release();
    }

    private void Drain()
    {
        lock (_gate)
        {
            try
            {
                while (_shell.DataAvailable)
                {
                    var n = _shell.Read(_readBuffer, 0, _readBuffer.Length);
                    if (n <= 0)
                    {
                        break;
                    }

                    _bytesSinceMark += n;
                    if (!_inCommand && _pending.Length > _options.MaxOutputBytes)
                    {
                        // Idle chatter nobody collects (terminal monitor left on): keep the newest half.
                        _pending.Remove(0, _pending.Length / 2);
                    }

                    if (_inCommand && _bytesSinceMark > _options.MaxOutputBytes)
                    {
                        // Keep reading (and dropping) so SSH.NET's buffer cannot grow either.
                        _flooded = true;
                        continue;
                    }

                    var chars = _decoder.GetChars(_readBuffer, 0, n, _charBuffer, 0);
                    _pending.Append(_charBuffer, 0, chars);
                }
            }
            catch (ObjectDisposedException)
            {
                _closed.TrySetResult();
            }
        }
    }

    private void OnClosed(object? sender, EventArgs e)
    {
        _closed.TrySetResult();
        try
        {
            _dataSignal.Release();
        }
        catch (ObjectDisposedException)
        {
            // Raised after dispose: nobody is waiting any more.
        }
    }
}
