using System.Text.Json.Nodes;

namespace NetOpsBot.Slack.Tests.Fake;

/// <summary>
/// Slack's documented Block Kit limits as the fake Slack enforces them (written apart from the product's
/// own checker, from research/slack/PROTOCOL.md §5, so a shared mistake cannot hide). Errors use Slack's
/// <c>[ERROR] … [json-pointer:…]</c> style.
/// </summary>
internal static class FakeBlockKitRules
{
    /// <summary>Slack fails whole messages around 13.2k characters of block text (msg_blocks_too_long).</summary>
    public const int AggregateLimit = 13_200;

    public static (string? Error, List<string> Messages) Check(JsonNode? blocksNode)
    {
        var messages = new List<string>();
        if (blocksNode is null)
        {
            return (null, messages);
        }

        if (blocksNode is not JsonArray blocks)
        {
            return ("invalid_blocks_format", ["[ERROR] blocks must be an array"]);
        }

        if (blocks.Count > 50)
        {
            messages.Add($"[ERROR] no more than 50 items allowed [json-pointer:/blocks]");
        }

        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            var at = $"/blocks/{i}";
            if (blocks[i] is not JsonObject b)
            {
                messages.Add($"[ERROR] must be an object [json-pointer:{at}]");
                continue;
            }

            if (S(b, "block_id") is { } bid)
            {
                Max(bid, 255, at + "/block_id", messages);
                if (!blockIds.Add(bid))
                {
                    messages.Add($"[ERROR] duplicate block_id [json-pointer:{at}/block_id]");
                }
            }

            switch (S(b, "type"))
            {
                case "header":
                    total += Text(b["text"], 150, at + "/text", messages, plainOnly: true);
                    break;
                case "section":
                    if (b["text"] is null && b["fields"] is null)
                    {
                        messages.Add($"[ERROR] must provide either text or fields [json-pointer:{at}]");
                    }

                    if (b["text"] is not null)
                    {
                        total += Text(b["text"], 3000, at + "/text", messages);
                    }

                    if (b["fields"] is JsonArray fields)
                    {
                        if (fields.Count > 10)
                        {
                            messages.Add($"[ERROR] no more than 10 items allowed [json-pointer:{at}/fields]");
                        }

                        for (var f = 0; f < fields.Count; f++)
                        {
                            total += Text(fields[f], 2000, $"{at}/fields/{f}", messages);
                        }
                    }

                    if (b["accessory"] is JsonObject acc)
                    {
                        total += Element(acc, at + "/accessory", messages, new HashSet<string>(StringComparer.Ordinal));
                    }

                    break;
                case "context":
                    if (b["elements"] is not JsonArray ce || ce.Count is 0 or > 10)
                    {
                        messages.Add($"[ERROR] context needs 1 to 10 elements [json-pointer:{at}/elements]");
                    }
                    else
                    {
                        for (var e = 0; e < ce.Count; e++)
                        {
                            total += Text(ce[e], 3000, $"{at}/elements/{e}", messages);
                        }
                    }

                    break;
                case "actions":
                    if (b["elements"] is not JsonArray ae || ae.Count is 0 or > 25)
                    {
                        messages.Add($"[ERROR] actions needs 1 to 25 elements [json-pointer:{at}/elements]");
                    }
                    else
                    {
                        var ids = new HashSet<string>(StringComparer.Ordinal);
                        for (var e = 0; e < ae.Count; e++)
                        {
                            total += Element(ae[e] as JsonObject, $"{at}/elements/{e}", messages, ids);
                        }
                    }

                    break;
                case "divider":
                    break;
                default:
                    messages.Add($"[ERROR] unsupported block type '{S(b, "type")}' [json-pointer:{at}/type]");
                    break;
            }
        }

        if (messages.Count == 0 && total > AggregateLimit)
        {
            return ("msg_blocks_too_long", [$"[ERROR] blocks too long ({total} characters)"]);
        }

        return (messages.Count > 0 ? "invalid_blocks" : null, messages);
    }

    private static int Element(JsonObject? e, string at, List<string> messages, HashSet<string> actionIds)
    {
        if (e is null || S(e, "type") != "button")
        {
            messages.Add($"[ERROR] unsupported element [json-pointer:{at}]");
            return 0;
        }

        var chars = Text(e["text"], 75, at + "/text", messages, plainOnly: true);
        var id = S(e, "action_id");
        if (id is not null)
        {
            Max(id, 255, at + "/action_id", messages);
            if (!actionIds.Add(id))
            {
                messages.Add($"[ERROR] duplicate action_id [json-pointer:{at}/action_id]");
            }
        }

        Max(S(e, "value"), 2000, at + "/value", messages);
        Max(S(e, "url"), 3000, at + "/url", messages);
        if (S(e, "style") is { } style && style is not "primary" and not "danger")
        {
            messages.Add($"[ERROR] must be one of primary, danger [json-pointer:{at}/style]");
        }

        if (e["confirm"] is JsonObject c)
        {
            chars += Text(c["title"], 100, at + "/confirm/title", messages, plainOnly: true);
            chars += Text(c["text"], 300, at + "/confirm/text", messages);
            chars += Text(c["confirm"], 30, at + "/confirm/confirm", messages, plainOnly: true);
            chars += Text(c["deny"], 30, at + "/confirm/deny", messages, plainOnly: true);
        }

        return chars;
    }

    private static int Text(JsonNode? node, int max, string at, List<string> messages, bool plainOnly = false)
    {
        if (node is not JsonObject t || S(t, "type") is not ("plain_text" or "mrkdwn") || (plainOnly && S(t, "type") != "plain_text"))
        {
            messages.Add($"[ERROR] must be a {(plainOnly ? "plain_text" : "text")} object [json-pointer:{at}]");
            return 0;
        }

        var text = S(t, "text");
        if (string.IsNullOrEmpty(text))
        {
            messages.Add($"[ERROR] must be more than 0 characters [json-pointer:{at}/text]");
            return 0;
        }

        Max(text, max, at + "/text", messages);
        return text.Length;
    }

    private static void Max(string? value, int max, string at, List<string> messages)
    {
        if (value is not null && value.Length > max)
        {
            messages.Add($"[ERROR] must be less than {max + 1} characters [json-pointer:{at}]");
        }
    }

    private static string? S(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
