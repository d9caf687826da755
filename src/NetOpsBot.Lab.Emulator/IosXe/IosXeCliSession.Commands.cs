using System.Globalization;
using System.Net;

namespace NetOpsBot.Lab.Emulator.IosXe;

/// <summary>The command interpreter: IOS's abbreviation rules and error lines over a table of command patterns per mode.</summary>
public sealed partial class IosXeCliSession
{
    // Pattern words: a keyword (abbreviable), <ip>, <n> (number), <word>, <rest> (the rest of the line).
    private static readonly (string Pattern, string Id)[] ExecCommands =
    [
        ("show ip ssh", "show-ip-ssh"),
        ("show ip route", "show-ip-route"),
        ("show ip route <ip>", "show-ip-route-entry"),
        ("show arp", "show-arp"),
        ("show ip arp", "show-arp"),
        ("show tcp brief", "show-tcp"),
        ("show tcp brief all", "show-tcp"),
        ("show tcp brief numeric", "show-tcp"),
        ("show control-plane host open-ports", "show-open-ports"),
        ("show running-config", "show-run"),
        ("show startup-config", "show-start"),
        ("show crypto key mypubkey rsa", "show-crypto"),
        ("show version", "show-version"),
        ("show debugging", "show-debugging"),
        ("terminal length <n>", "terminal-length"),
        ("terminal width <n>", "noop"), // netmiko's cisco_ios session preparation sends "terminal width 511"
        ("terminal monitor", "terminal-monitor"),
        ("terminal no monitor", "terminal-no-monitor"),
        ("debug ip ssh", "debug-ip-ssh"),
        ("undebug all", "undebug-all"),
        ("no debug all", "undebug-all"),
        ("ping <ip>", "ping"),
        ("ping <ip> source <word>", "ping"),
        ("configure terminal", "configure"),
        ("write memory", "write"),
        ("copy running-config startup-config", "copy-run-start"),
        ("reload", "reload"),
        ("enable", "enable"),
        ("disable", "disable"),
        ("exit", "exit"),
        ("logout", "exit"),
        ("quit", "exit"),
    ];

    private static readonly (string Pattern, string Id)[] ConfigCommands =
    [
        ("hostname <word>", "hostname"),
        ("ip domain name <word>", "domain"),
        ("ip domain-name <word>", "domain"),
        ("ip route <ip> <ip> <ip>", "route"),
        ("no ip route <ip> <ip> <ip>", "no-route"),
        ("ip ssh version <n>", "ssh-version"),
        ("ip ssh time-out <n>", "ssh-timeout"),
        ("line vty <n>", "line-vty"),
        ("line vty <n> <n>", "line-vty"),
        ("ip access-list standard <word>", "acl-named"),
        ("access-list <n> permit <rest>", "acl-numbered-permit"),
        ("access-list <n> deny <rest>", "acl-numbered-deny"),
        ("no access-list <n>", "no-acl"),
        ("crypto key generate rsa", "crypto-generate"),
        ("crypto key generate rsa modulus <n>", "crypto-generate"),
        ("crypto key zeroize rsa", "crypto-zeroize"),
        ("interface <word>", "interface"),
        ("do <rest>", "do"),
        ("end", "end"),
        ("exit", "exit"),
    ];

    private static readonly (string Pattern, string Id)[] LineCommands =
    [
        ("transport input <rest>", "transport"),
        ("access-class <word> in", "access-class"),
        ("no access-class <word> in", "no-access-class"),
        ("login local", "noop"),
        ("exec-timeout <n> <n>", "noop"),
        ("do <rest>", "do"),
        ("end", "end"),
        ("exit", "exit"),
    ];

    private static readonly (string Pattern, string Id)[] AclCommands =
    [
        ("permit <rest>", "ace-permit"),
        ("deny <rest>", "ace-deny"),
        ("<n> permit <rest>", "ace-permit"),
        ("<n> deny <rest>", "ace-deny"),
        ("no <n>", "no-ace"),
        ("do <rest>", "do"),
        ("end", "end"),
        ("exit", "exit"),
    ];

    private static readonly (string Pattern, string Id)[] InterfaceCommands =
    [
        ("ip address <ip> <ip>", "noop"),
        ("negotiation auto", "noop"),
        ("shutdown", "if-shutdown"),
        ("no shutdown", "if-no-shutdown"),
        ("do <rest>", "do"),
        ("end", "end"),
        ("exit", "exit"),
    ];

    private void Execute(string text)
    {
        var pipe = text.IndexOf(" | ", StringComparison.Ordinal);
        var commandText = pipe >= 0 ? text[..pipe] : text;
        var filter = pipe >= 0 ? text[(pipe + 3)..].Trim() : null;
        if (commandText.Trim().Length == 0)
        {
            return;
        }

        var table = CurrentMode switch
        {
            Mode.Exec => ExecCommands,
            Mode.Config => ConfigCommands,
            Mode.ConfigLine => LineCommands,
            Mode.ConfigAcl => AclCommands,
            _ => InterfaceCommands,
        };
        var m = Match(commandText, table);
        if (m.Error is not null)
        {
            Write(m.Error);
            return;
        }

        if (CurrentMode == Mode.Exec && !Privileged && m.Id is not ("enable" or "exit" or "show-version" or "ping" or "terminal-length"))
        {
            _ = Invalid(commandText, 0);
            return;
        }

        var lines = Run(m.Id!, m.Args);
        if (lines is null)
        {
            return;
        }

        if (filter is not null)
        {
            var f = Filter(lines, filter);
            if (f is null)
            {
                _ = Invalid(text, pipe + 3);
                return;
            }

            lines = f;
        }

        Emit(lines);
    }

    private List<string>? Run(string id, List<string> a)
    {
        var d = Device;
        switch (id)
        {
            case "show-ip-ssh":
                return Locked(() => IosXeDisplays.IpSsh(d));
            case "show-ip-route":
                return Locked(() => IosXeDisplays.IpRoute(d));
            case "show-ip-route-entry":
                return Locked(() => IosXeDisplays.IpRouteEntry(d, a[0]));
            case "show-arp":
                // Read before taking the lock: it runs a process in the switch's namespace.
                var kernel = d.Physical?.Neighbours(d.Name);
                return Locked(() => IosXeDisplays.Arp(d, kernel));
            case "show-tcp":
                return Locked(() => IosXeDisplays.TcpBrief(d));
            case "show-open-ports":
                return Locked(() => IosXeDisplays.OpenPorts(d));
            case "show-run":
                return Locked(() => IosXeDisplays.RunningConfig(d, d.Running, "Current configuration"));
            case "show-start":
                return Locked(() => IosXeDisplays.RunningConfig(d, d.Saved, "Startup configuration"));
            case "show-crypto":
                return Locked(() => IosXeDisplays.CryptoKeys(d));
            case "show-version":
                return Locked(() => IosXeDisplays.Version(d));
            case "show-debugging":
                return SshDebug ? ["IP:", "  Incoming SSH debugging is on"] : [];
            case "terminal-length":
                ScreenLength = Math.Clamp(int.Parse(a[0], CultureInfo.InvariantCulture), 0, 512);
                return null;
            case "terminal-monitor":
                Monitor = true;
                return null;
            case "terminal-no-monitor":
                Monitor = false;
                return null;
            case "debug-ip-ssh":
                SshDebug = true;
                return ["Incoming ssh debugging is on"];
            case "undebug-all":
                SshDebug = false;
                return ["All possible debugging has been turned off"];
            case "ping":
                return d.Physical is { } physical ? PhysicalPing(physical, a[0], a.Count > 1 ? a[1] : null) : Locked(() => IosXeDisplays.Ping(d, a[0]));
            case "configure":
                CurrentMode = Mode.Config;
                return ["Enter configuration commands, one per line.  End with CNTL/Z."];
            case "write":
                Locked(d.Save);
                return ["Building configuration...", "[OK]"];
            case "copy-run-start":
                Ask("Destination filename [startup-config]? ", answer =>
                {
                    if (answer.Length > 0 && answer != "startup-config")
                    {
                        Write("%Error opening " + answer + " (Permission denied)\r\n");
                        return;
                    }

                    Locked(d.Save);
                    Write("Building configuration...\r\n[OK]\r\n");
                });
                return null;
            case "reload":
                AskReload();
                return null;
            case "enable":
                Privileged = true;
                return null;
            case "disable":
                Privileged = false;
                return null;
            case "exit":
                if (CurrentMode == Mode.Exec)
                {
                    Finish("logout");
                }
                else
                {
                    CurrentMode = CurrentMode == Mode.Config ? Mode.Exec : Mode.Config;
                    ModeTarget = null;
                }

                return null;
            case "end":
                CurrentMode = Mode.Exec;
                ModeTarget = null;
                return null;
            case "do":
                var saved = CurrentMode;
                CurrentMode = Mode.Exec;
                Execute(a[0]);
                CurrentMode = _state == State.Closed ? CurrentMode : saved;
                return null;
            case "noop":
                return null;
            default:
                return Configure(id, a);
        }
    }

    private List<string>? Configure(string id, List<string> a)
    {
        var d = Device;
        var c = d.Running;
        switch (id)
        {
            case "hostname":
                Locked(() => c.Hostname = a[0]);
                return null;
            case "domain":
                Locked(() => c.DomainName = a[0]);
                return null;
            case "route":
            case "no-route":
                if (IosXeSwitch.Length(a[1]) is var len && (IosXeSwitch.U(IPAddress.Parse(a[1])) != (len == 0 ? 0u : uint.MaxValue << (32 - len))))
                {
                    return ["%Inconsistent address and mask"];
                }

                Locked(() =>
                {
                    var r = new IosXeStatic(a[0], a[1], a[2]);
                    c.Statics.Remove(r);
                    if (id == "route")
                    {
                        c.Statics.Add(r);
                    }
                });
                return null;
            case "ssh-version":
                if (a[0] is not ("1" or "2"))
                {
                    return Invalid("ip ssh version " + a[0], 15);
                }

                Locked(() => c.SshVersion = int.Parse(a[0], CultureInfo.InvariantCulture));
                return null;
            case "ssh-timeout":
                Locked(() => c.SshTimeout = int.Parse(a[0], CultureInfo.InvariantCulture));
                return null;
            case "line-vty":
                var first = int.Parse(a[0], CultureInfo.InvariantCulture);
                var last = a.Count > 1 ? int.Parse(a[1], CultureInfo.InvariantCulture) : first;
                if (last < first || last > 1869)
                {
                    return ["%Invalid line number"];
                }

                Locked(() =>
                {
                    if (!c.Vty.Any(v => v.First == first && v.Last == last))
                    {
                        c.Vty.Add(new IosXeVty(first, last));
                    }
                });
                CurrentMode = Mode.ConfigLine;
                ModeTarget = first.ToString(CultureInfo.InvariantCulture) + " " + last.ToString(CultureInfo.InvariantCulture);
                return null;
            case "transport":
                var words = a[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0 || words.Any(w => w is not ("ssh" or "telnet" or "all" or "none")))
                {
                    return Invalid("transport input " + a[0], 16);
                }

                Locked(() => VtyBlock()!.Transport = [.. words]);
                return null;
            case "access-class":
                Locked(() => VtyBlock()!.AccessClassIn = a[0]);
                return null;
            case "no-access-class":
                Locked(() => VtyBlock()!.AccessClassIn = null);
                return null;
            case "acl-named":
                Locked(() =>
                {
                    if (!c.Acls.ContainsKey(a[0]))
                    {
                        c.Acls[a[0]] = new IosXeAcl(a[0], IsNumber(a[0]));
                    }
                });
                CurrentMode = Mode.ConfigAcl;
                ModeTarget = a[0];
                return null;
            case "acl-numbered-permit":
            case "acl-numbered-deny":
                var n = int.Parse(a[0], CultureInfo.InvariantCulture);
                if (n is < 1 or > 99 and < 1300 or > 1999)
                {
                    return ["% This emulator configures standard ACLs only (1-99, 1300-1999)"];
                }

                return AddAce(a[0], null, id.EndsWith("permit", StringComparison.Ordinal), a[1]);
            case "no-acl":
                Locked(() => c.Acls.Remove(a[0]));
                return null;
            case "ace-permit":
            case "ace-deny":
                return a.Count == 1
                    ? AddAce(ModeTarget!, null, id == "ace-permit", a[0])
                    : AddAce(ModeTarget!, int.Parse(a[0], CultureInfo.InvariantCulture), id == "ace-permit", a[1]);
            case "no-ace":
                Locked(() => c.Acls[ModeTarget!].Lines.RemoveAll(l => l.Sequence == int.Parse(a[0], CultureInfo.InvariantCulture)));
                return null;
            case "crypto-generate":
                GenerateKey(a.Count > 0 ? a[0] : null);
                return null;
            case "crypto-zeroize":
                Ask("% All keys will be removed.\r\n% All router certs issued using these keys will also be removed.\r\nDo you really want to remove these keys? [yes/no]: ", YesNo(yes =>
                {
                    if (yes)
                    {
                        Locked(d.ZeroizeKey);
                        Write(d.Stamp() + ": %SSH-5-DISABLED: SSH 2.0 has been disabled\r\n");
                    }
                }));
                return null;
            case "interface":
                CurrentMode = Mode.ConfigIf;
                ModeTarget = a[0];
                return null;
            case "if-shutdown":
            case "if-no-shutdown":
                // Only the management interface has state here; other interfaces take the command without effect.
                var shut = id == "if-shutdown";
                var changed = false;
                var stamp = string.Empty;
                var name = string.Empty;
                lock (d.Gate)
                {
                    if (d.IsManagementInterface(ModeTarget!) && c.InterfaceShutdown != shut)
                    {
                        c.InterfaceShutdown = shut;
                        changed = true;
                        stamp = d.Stamp();
                        name = c.Interface;
                    }
                }

                if (changed)
                {
                    // The console messages IOS logs for "shutdown" / "no shutdown" of an interface.
                    Write(shut
                        ? $"{stamp}: %LINK-5-CHANGED: Interface {name}, changed state to administratively down\r\n{stamp}: %LINEPROTO-5-UPDOWN: Line protocol on Interface {name}, changed state to down\r\n"
                        : $"{stamp}: %LINK-3-UPDOWN: Interface {name}, changed state to up\r\n{stamp}: %LINEPROTO-5-UPDOWN: Line protocol on Interface {name}, changed state to up\r\n");
                }

                return null;
            default:
                return ["% Unhandled: " + id];
        }
    }

    /// <summary>
    /// On the namespaced lab the switch's kernel answers each echo, as for VRP's "ping": a shut interface or a missing
    /// route fails there exactly as the jump host's probes do. Sent outside the switch's lock (each echo may wait 1 s).
    /// </summary>
    private List<string> PhysicalPing(IPhysicalNetwork physical, string target, string? source)
    {
        var d = Device;
        string? from = null;
        if (source is not null)
        {
            string address;
            bool up;
            bool isInterface;
            lock (d.Gate)
            {
                address = d.Running.Address;
                up = !d.Running.InterfaceShutdown;
                isInterface = d.IsManagementInterface(source);
            }

            if (!(isInterface || source == address) || !up)
            {
                return ["% Invalid source address- IP address not on any of our up interfaces"];
            }

            from = address;
        }

        var replies = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(physical.Ping(d.Name, target, from));
        }

        return IosXeDisplays.Ping(target, from, replies);
    }

    private List<string>? AddAce(string acl, int? seq, bool permit, string rest)
    {
        var tok = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var log = tok.Length > 0 && tok[^1] == "log";
        if (log)
        {
            tok = tok[..^1];
        }

        (string Net, string Wild)? src = tok switch
        {
            ["any"] => ("0.0.0.0", "255.255.255.255"),
            ["host", var h] when IPAddress.TryParse(h, out _) => (h, "0.0.0.0"),
            [var h] when IPAddress.TryParse(h, out _) => (h, "0.0.0.0"),
            [var net, var w] when IPAddress.TryParse(net, out _) && IPAddress.TryParse(w, out _) => (net, w),
            _ => null,
        };
        if (src is null)
        {
            return Invalid(rest, 0);
        }

        Locked(() =>
        {
            var c = Device.Running;
            if (!c.Acls.TryGetValue(acl, out var a))
            {
                a = new IosXeAcl(acl, IsNumber(acl));
                c.Acls[acl] = a;
            }

            var s = seq ?? a.NextSequence;
            a.Lines.RemoveAll(l => l.Sequence == s);
            a.Lines.Add(new IosXeAclLine(s, permit, src.Value.Net, src.Value.Wild, log));
            a.Lines.Sort((x, y) => x.Sequence.CompareTo(y.Sequence));
        });
        return null;
    }

    private void GenerateKey(string? modulus)
    {
        var d = Device;
        string? domain;
        bool exists;
        lock (d.Gate)
        {
            domain = d.Running.DomainName;
            exists = d.Key is not null;
        }

        if (domain is null)
        {
            Write("% Please define a domain-name first.\r\n");
            return;
        }

        void Generate(int bits)
        {
            if (bits is < 512 or > 4096)
            {
                Write("% Invalid modulus size.\r\n");
                return;
            }

            string name;
            lock (d.Gate)
            {
                d.GenerateKey(bits);
                name = d.KeyName!;
            }

            Write($"The name for the keys will be: {name}\r\n\r\n% The key modulus size is {bits.ToString(CultureInfo.InvariantCulture)} bits\r\n% Generating {bits.ToString(CultureInfo.InvariantCulture)} bit RSA keys, keys will be non-exportable...\r\n[OK] (elapsed time was 1 seconds)\r\n\r\n");
            Write(d.Stamp() + ": %SSH-5-ENABLED: SSH 2.0 has been enabled\r\n");
        }

        void AskBits()
        {
            if (modulus is not null)
            {
                Generate(int.Parse(modulus, CultureInfo.InvariantCulture));
                return;
            }

            Ask("Choose the size of the key modulus in the range of 512 to 4096 for your\r\n  General Purpose Keys. Choosing a key modulus greater than 512 may take\r\n  a few minutes.\r\n\r\nHow many bits in the modulus [1024]: ", answer =>
                Generate(answer.Length == 0 ? 1024 : int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : -1));
        }

        if (!exists)
        {
            AskBits();
            return;
        }

        Ask($"% You already have RSA keys defined named {Device.KeyName}.\r\n% Do you really want to replace them? [yes/no]: ", YesNo(yes =>
        {
            if (yes)
            {
                AskBits();
            }
        }));
    }

    private void AskReload()
    {
        bool dirty;
        lock (Device.Gate)
        {
            dirty = Device.Dirty;
        }

        void Confirm() => Ask("Proceed with reload? [confirm]", answer =>
        {
            if (answer.Length == 0 || answer.StartsWith('y'))
            {
                Write("\r\n");
                Device.Reload();
            }
        });

        if (!dirty)
        {
            Confirm();
            return;
        }

        Ask("\r\nSystem configuration has been modified. Save? [yes/no]: ", YesNo(yes =>
        {
            if (yes)
            {
                Locked(Device.Save);
                Write("Building configuration...\r\n[OK]\r\n");
            }

            Confirm();
        }));
    }

    private IosXeVty? VtyBlock()
    {
        var r = ModeTarget!.Split(' ');
        return Device.Running.Vty.FirstOrDefault(v => v.First.ToString(CultureInfo.InvariantCulture) == r[0] && v.Last.ToString(CultureInfo.InvariantCulture) == r[1]);
    }

    private static bool IsNumber(string s) => s.All(char.IsAsciiDigit);

    private List<string> Locked(Func<List<string>> f)
    {
        lock (Device.Gate)
        {
            return f();
        }
    }

    private void Locked(Action f)
    {
        lock (Device.Gate)
        {
            f();
        }
    }

    private List<string> Invalid(string line, int column)
    {
        var caret = Prompt.Length + Math.Max(0, column);
        Write(new string(' ', caret) + "^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
        return [];
    }

    private (string? Id, List<string> Args, string? Error) Match(string text, (string Pattern, string Id)[] table)
    {
        var tokens = new List<(string Text, int Column)>();
        for (var i = 0; i < text.Length;)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var start = i;
            while (i < text.Length && text[i] != ' ')
            {
                i++;
            }

            if (i > start)
            {
                tokens.Add((text[start..i], start));
            }
        }

        var alive = table.Select(e => (e.Id, Words: e.Pattern.Split(' '), Args: new List<string>())).ToList();
        for (var d = 0; d < tokens.Count; d++)
        {
            var (tok, col) = tokens[d];
            var lower = tok.ToLowerInvariant();
            var next = new List<(string Id, string[] Words, List<string> Args)>();
            var keywords = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in alive)
            {
                if (d >= e.Words.Length)
                {
                    continue;
                }

                var w = e.Words[d];
                if (w == "<rest>")
                {
                    var rest = text[col..].Trim();
                    return (e.Id, [.. e.Args, rest], null);
                }

                var ok = w switch
                {
                    "<ip>" => IPAddress.TryParse(tok, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && tok.Count(c => c == '.') == 3,
                    "<n>" => tok.All(char.IsAsciiDigit) && tok.Length <= 9,
                    "<word>" => true,
                    _ => w.StartsWith(lower, StringComparison.Ordinal),
                };
                if (!ok)
                {
                    continue;
                }

                if (!w.StartsWith('<'))
                {
                    keywords.Add(w);
                }

                next.Add((e.Id, e.Words, w.StartsWith('<') ? [.. e.Args, tok] : e.Args));
            }

            if (keywords.Count > 1 && !keywords.Contains(lower))
            {
                return (null, [], $"% Ambiguous command:  \"{text.Trim()}\"\r\n");
            }

            if (keywords.Contains(lower))
            {
                next = next.Where(e => e.Words[d] == lower || e.Words[d].StartsWith('<')).ToList();
            }

            if (next.Count == 0)
            {
                return (null, [], new string(' ', Prompt.Length + col) + "^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
            }

            alive = next;
        }

        var complete = alive.FirstOrDefault(e => e.Words.Length == tokens.Count);
        return complete.Id is not null ? (complete.Id, complete.Args, null) : (null, [], "% Incomplete command.\r\n\r\n");
    }

    private static List<string>? Filter(List<string> lines, string filter)
    {
        var sp = filter.IndexOf(' ', StringComparison.Ordinal);
        if (sp <= 0)
        {
            return null;
        }

        var kind = filter[..sp];
        var arg = filter[(sp + 1)..].Trim();
        if ("include".StartsWith(kind, StringComparison.Ordinal))
        {
            return lines.Where(l => l.Contains(arg, StringComparison.Ordinal)).ToList();
        }

        if ("exclude".StartsWith(kind, StringComparison.Ordinal))
        {
            return lines.Where(l => !l.Contains(arg, StringComparison.Ordinal)).ToList();
        }

        if ("begin".StartsWith(kind, StringComparison.Ordinal))
        {
            return lines.SkipWhile(l => !l.Contains(arg, StringComparison.Ordinal)).ToList();
        }

        if ("section".StartsWith(kind, StringComparison.Ordinal))
        {
            var result = new List<string>();
            var inSection = false;
            foreach (var l in lines)
            {
                if (!l.StartsWith(' '))
                {
                    inSection = l.Contains(arg, StringComparison.Ordinal);
                }

                if (inSection)
                {
                    result.Add(l);
                }
            }

            return result;
        }

        return null;
    }
}
