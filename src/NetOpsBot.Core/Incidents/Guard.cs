namespace NetOpsBot.Core.Incidents;

/// <summary>Argument checks shared by the incident records; values end up in storage columns of fixed width.</summary>
internal static class Guard
{
    /// <summary>A non-empty identifier without whitespace or control characters.</summary>
    public static string Token(string? value, string name, int maxLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{name} is longer than {maxLength} characters", name);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"{name} contains whitespace or a control character", name);
            }
        }

        return value;
    }

    /// <summary>Non-empty text on one line (a timeline line or a name shown in chat).</summary>
    public static string OneLine(string? value, string name, int maxLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{name} is longer than {maxLength} characters", name);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{name} must be one line without control characters", name);
            }
        }

        return value;
    }
}
