namespace NetOpsBot.Core.Remediation;

/// <summary>A template rendered with validated arguments. Only <see cref="CommandTemplate"/> creates one.</summary>
public sealed record BoundCommand
{
    internal BoundCommand(string template, string text, IReadOnlyDictionary<string, string> arguments)
    {
        Template = template;
        Text = text;
        Arguments = arguments;
    }

    public string Template { get; }

    /// <summary>The exact command line sent to the device.</summary>
    public string Text { get; }

    public IReadOnlyDictionary<string, string> Arguments { get; }

    public override string ToString() => Text;
}
