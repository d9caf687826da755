using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// What a card button says it acts on, as the surfaces parse it from the click: the request it was drawn for
/// (approve/reject) and a hash of the exact command lines the card showed. A click counts only when both
/// match the stored request, so a button left on an old card can never approve something else.
/// </summary>
public sealed record ClickTarget(string? RequestId, string? CommandsHash)
{
    /// <summary>A click that names nothing (an old card, or a hand-made request): refused for approve/reject.</summary>
    public static ClickTarget None { get; } = new(null, null);

    /// <summary>
    /// The first 16 hex digits (64 bits) of SHA-256 over the command lines, each followed by a newline. Enough
    /// to tell two command lists apart; it is no secret (the commands are on the card).
    /// </summary>
    public static string HashCommands(IEnumerable<string> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var text = new StringBuilder();
        foreach (var line in commands)
        {
            text.Append(line).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>True when the click names <paramref name="request"/> and the commands it showed are the request's.</summary>
    public bool Matches(RemediationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(RequestId, request.Id.Value, StringComparison.Ordinal)
            && string.Equals(CommandsHash, HashCommands(request.Commands), StringComparison.Ordinal);
    }
}
