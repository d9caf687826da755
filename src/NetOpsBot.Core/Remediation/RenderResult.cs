using System.Diagnostics.CodeAnalysis;

namespace NetOpsBot.Core.Remediation;

/// <summary>Outcome of <see cref="CommandTemplate.TryRender"/>: a command, or every reason it was refused.</summary>
public sealed record RenderResult(BoundCommand? Command, IReadOnlyList<string> Errors)
{
    [MemberNotNullWhen(true, nameof(Command))]
    public bool Succeeded => Command is not null;
}
