namespace NetOpsBot.Lab.Emulator;

internal readonly record struct Token(string Text, int Offset);

internal enum View
{
    User,
    System,
    Vty,
    Aaa,
    Acl,
    Interface,
}

internal sealed record Question(string Text, bool YesNo, Func<string, Reply> OnAnswer);

/// <summary>What a command wants the terminal to do: print lines, then ask a question, close, or return to the prompt.</summary>
internal sealed class Reply
{
    public List<string> Lines { get; } = [];

    public Question? Ask { get; set; }

    public string? CloseReason { get; set; }

    /// <summary>Work that must run after the session lock is released (closing other sessions).</summary>
    public Action? After { get; set; }

    public bool IsError { get; set; }

    public static Reply Empty() => new();

    public static Reply Text(params string[] lines)
    {
        var r = new Reply();
        r.Lines.AddRange(lines);
        return r;
    }

    public static Reply Caret(int column, string message)
    {
        var r = new Reply { IsError = true };
        r.Lines.Add(new string(' ', Math.Max(0, column)) + "^");
        r.Lines.Add(message);
        return r;
    }

    /// <summary>Prefixes this reply's output with <paramref name="lines"/>; lets a chained question keep earlier text.</summary>
    public Reply Prepend(IEnumerable<string> lines)
    {
        Lines.InsertRange(0, lines);
        return this;
    }
}

internal delegate Reply Handler(CommandContext context);

internal sealed class CommandContext(VrpSession session, IReadOnlyList<Token> args, int promptLength, int lineEnd)
{
    public const string Unrecognized = "Error: Unrecognized command found at '^' position.";
    public const string IncompleteText = "Error: Incomplete command found at '^' position.";
    public const string WrongText = "Error: Wrong parameter found at '^' position.";
    public const string TooManyText = "Error: Too many parameters found at '^' position.";
    public const string AmbiguousText = "Error: Ambiguous command found at '^' position.";

    public VrpSession Session { get; } = session;

    public VrpDevice Device => Session.Device;

    public IReadOnlyList<Token> Args { get; } = args;

    public int Count => Args.Count;

    public string this[int index] => Args[index].Text;

    public Reply Fail(string message, int argIndex) => Reply.Caret(promptLength + Args[argIndex].Offset, message);

    public Reply Wrong(int argIndex) => Fail(WrongText, argIndex);

    public Reply TooMany(int argIndex) => Fail(TooManyText, argIndex);

    public Reply NotRecognized(int argIndex) => Fail(Unrecognized, argIndex);

    public Reply Incomplete() => Reply.Caret(promptLength + lineEnd + 1, IncompleteText);

    /// <summary>Checks an exact argument count, producing VRP's incomplete / too-many errors.</summary>
    public Reply? Expect(int count) =>
        Count < count ? Incomplete() : Count > count ? TooMany(count) : null;

    public static bool IsPrefixOf(string token, string keyword) =>
        token.Length > 0 && keyword.StartsWith(token, StringComparison.OrdinalIgnoreCase);
}

internal sealed class CommandNode(string keyword)
{
    public string Keyword { get; } = keyword;

    public List<CommandNode> Children { get; } = [];

    public Handler? Handler { get; set; }

    public bool TakesArgs { get; set; }

    public bool Filterable { get; set; }
}

/// <summary>Per-view keyword tree; every keyword may be abbreviated to any unambiguous prefix, as on VRP.</summary>
internal sealed class CommandTree
{
    public CommandNode Root { get; } = new(string.Empty);

    public CommandTree Add(string path, Handler handler, bool args = false)
    {
        var node = Root;
        foreach (var word in path.Split(' '))
        {
            var next = node.Children.FirstOrDefault(c => c.Keyword == word);
            if (next is null)
            {
                next = new CommandNode(word);
                node.Children.Add(next);
            }

            node = next;
        }

        node.Handler = handler;
        node.TakesArgs = args;
        node.Filterable = path.StartsWith("display ", StringComparison.Ordinal);
        return this;
    }

    public static List<Token> Tokenize(string line)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i > start)
            {
                tokens.Add(new Token(line[start..i], start));
            }
        }

        return tokens;
    }
}
