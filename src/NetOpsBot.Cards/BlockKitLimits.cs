using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetOpsBot.Cards;

/// <summary>
/// Slack's documented Block Kit limits (PROTOCOLS.md), checked on the JSON we send, so a renderer bug shows up
/// in tests rather than as <c>invalid_blocks</c> in a channel.
/// </summary>
public static class BlockKitLimits
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3_000;
    public const int MaxHeaderText = 150;
    public const int MaxFields = 10;
    public const int MaxFieldText = 2_000;
    public const int MaxContextElements = 10;
    public const int MaxActionsElements = 25;
    public const int MaxButtonText = 75;
    public const int MaxActionId = 255;
    public const int MaxBlockId = 255;
    public const int MaxButtonValue = 2_000;
    public const int MaxUrl = 3_000;

    /// <summary>
    /// Slack answers <c>msg_blocks_too_long</c> around 13k characters of block text (undocumented, PROTOCOLS.md);
    /// we keep a margin.
    /// </summary>
    public const int MaxMessageTextChars = 12_000;

    /// <summary>Every violation found in a message (<c>{"blocks": [...]}</c>) or a bare blocks array; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string json)
    {
        var errors = new List<string>();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }

        var blocks = root switch
        {
            JsonArray a => a,
            JsonObject o when o["blocks"] is JsonArray a => a,
            _ => null,
        };
        if (blocks is null)
        {
            return ["no blocks array"];
        }

        if (blocks.Count > MaxBlocks)
        {
            errors.Add($"{blocks.Count} blocks > {MaxBlocks}");
        }

        var actionIds = new HashSet<string>(StringComparer.Ordinal);
        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            total += Block(blocks[i] as JsonObject, $"blocks[{i}]", errors, actionIds);
            if (blocks[i] is JsonObject bo && Str(bo, "block_id") is { } blockId && !blockIds.Add(blockId))
            {
                errors.Add($"blocks[{i}].block_id '{blockId}' is not unique in the message");
            }
        }

        if (total > MaxMessageTextChars)
        {
            errors.Add($"message text {total} chars > {MaxMessageTextChars} (msg_blocks_too_long)");
        }

        return errors;
    }

    private static int Block(JsonObject? b, string at, List<string> errors, HashSet<string> actionIds)
    {
        if (b is null)
        {
            errors.Add($"{at}: not an object");
            return 0;
        }

        Max(Str(b, "block_id"), MaxBlockId, $"{at}.block_id", errors);
        var chars = 0;
        switch (Str(b, "type"))
        {
            case "header":
                chars += TextObject(b["text"] as JsonObject, MaxHeaderText, $"{at}.text", errors, plainOnly: true);
                break;
            case "section":
                var hasText = b["text"] is JsonObject;
                if (hasText)
                {
                    chars += TextObject(b["text"] as JsonObject, MaxSectionText, $"{at}.text", errors);
                }

                if (b["fields"] is JsonArray fields)
                {
                    if (fields.Count > MaxFields)
                    {
                        errors.Add($"{at}.fields: {fields.Count} > {MaxFields}");
                    }

                    for (var i = 0; i < fields.Count; i++)
                    {
                        chars += TextObject(fields[i] as JsonObject, MaxFieldText, $"{at}.fields[{i}]", errors);
                    }
                }
                else if (!hasText)
                {
                    errors.Add($"{at}: section needs text or fields");
                }

                if (b["accessory"] is JsonObject acc)
                {
                    chars += Element(acc, $"{at}.accessory", errors, actionIds);
                }

                break;
            case "context":
                var elements = b["elements"] as JsonArray;
                if (elements is null || elements.Count == 0 || elements.Count > MaxContextElements)
                {
                    errors.Add($"{at}.elements: need 1..{MaxContextElements}, got {elements?.Count ?? 0}");
                }

                foreach (var e in elements ?? [])
                {
                    chars += TextObject(e as JsonObject, MaxSectionText, $"{at}.elements[]", errors);
                }

                break;
            case "actions":
                var buttons = b["elements"] as JsonArray;
                if (buttons is null || buttons.Count == 0 || buttons.Count > MaxActionsElements)
                {
                    errors.Add($"{at}.elements: need 1..{MaxActionsElements}, got {buttons?.Count ?? 0}");
                }

                for (var i = 0; i < (buttons?.Count ?? 0); i++)
                {
                    chars += Element(buttons![i] as JsonObject, $"{at}.elements[{i}]", errors, actionIds);
                }

                break;
            case "divider":
                break;
            default:
                errors.Add($"{at}: block type '{Str(b, "type")}' not checked by this validator");
                break;
        }

        return chars;
    }

    private static int Element(JsonObject? e, string at, List<string> errors, HashSet<string> actionIds)
    {
        if (e is null || Str(e, "type") != "button")
        {
            errors.Add($"{at}: only buttons are used and checked");
            return 0;
        }

        var chars = TextObject(e["text"] as JsonObject, MaxButtonText, $"{at}.text", errors, plainOnly: true);
        var actionId = Str(e, "action_id");
        if (string.IsNullOrEmpty(actionId))
        {
            errors.Add($"{at}.action_id missing");
        }
        else
        {
            Max(actionId, MaxActionId, $"{at}.action_id", errors);
            if (!actionIds.Add(actionId))
            {
                errors.Add($"{at}.action_id '{actionId}' is not unique in the message");
            }
        }

        Max(Str(e, "value"), MaxButtonValue, $"{at}.value", errors);
        Max(Str(e, "url"), MaxUrl, $"{at}.url", errors);
        if (Str(e, "style") is { } style && style is not "primary" and not "danger")
        {
            errors.Add($"{at}.style '{style}' is not primary or danger");
        }

        if (e["confirm"] is JsonObject c)
        {
            chars += TextObject(c["title"] as JsonObject, 100, $"{at}.confirm.title", errors, plainOnly: true);
            chars += TextObject(c["text"] as JsonObject, 300, $"{at}.confirm.text", errors);
            chars += TextObject(c["confirm"] as JsonObject, 30, $"{at}.confirm.confirm", errors, plainOnly: true);
            chars += TextObject(c["deny"] as JsonObject, 30, $"{at}.confirm.deny", errors, plainOnly: true);
        }

        return chars;
    }

    private static int TextObject(JsonObject? t, int max, string at, List<string> errors, bool plainOnly = false)
    {
        var type = t is null ? null : Str(t, "type");
        if (type is not "plain_text" and not "mrkdwn" || (plainOnly && type != "plain_text"))
        {
            errors.Add($"{at}: text object of type '{type}' (expected {(plainOnly ? "plain_text" : "plain_text or mrkdwn")})");
            return 0;
        }

        var text = Str(t!, "text");
        if (string.IsNullOrEmpty(text))
        {
            errors.Add($"{at}: empty text");
            return 0;
        }

        Max(text, max, at, errors);
        return text.Length;
    }

    private static void Max(string? value, int max, string at, List<string> errors)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: {value.Length} chars > {max}"));
        }
    }

    private static string? Str(JsonObject o, string key) =>
        o.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
