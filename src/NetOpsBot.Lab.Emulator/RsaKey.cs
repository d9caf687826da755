using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Lab.Emulator;

/// <summary>
/// Deterministic stand-in for the device's host key: not a usable RSA key (the real handshake is done by the lab's sshd),
/// but shaped like one so `display rsa local-key-pair public` looks real and a regenerated key gets a new fingerprint.
/// </summary>
internal sealed class RsaKey
{
    private RsaKey(int bits, int generation, DateTimeOffset created, byte[] modulus)
    {
        Bits = bits;
        Generation = generation;
        Created = created;
        Modulus = modulus;
        Blob = BuildBlob(modulus);
        Fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');
    }

    public int Bits { get; }

    public int Generation { get; }

    public DateTimeOffset Created { get; }

    public byte[] Modulus { get; }

    public byte[] Blob { get; }

    public string Fingerprint { get; }

    public static RsaKey Generate(string seed, int generation, int bits, DateTimeOffset created)
    {
        var length = bits / 8;
        var modulus = new byte[length];
        var block = 0;
        for (var offset = 0; offset < length; offset += 32)
        {
            var chunk = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seed}|{generation}|{block++}")));
            Array.Copy(chunk, 0, modulus, offset, Math.Min(32, length - offset));
        }

        modulus[0] |= 0x80;
        modulus[^1] |= 0x01;
        return new RsaKey(bits, generation, created, modulus);
    }

    private static byte[] BuildBlob(byte[] modulus)
    {
        using var ms = new MemoryStream();
        WriteString(ms, Encoding.ASCII.GetBytes("ssh-rsa"));
        WriteString(ms, [0x01, 0x00, 0x01]);
        WriteString(ms, [0x00, .. modulus]);
        return ms.ToArray();
    }

    private static void WriteString(MemoryStream ms, byte[] data)
    {
        ms.Write([(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length]);
        ms.Write(data);
    }

    /// <summary>DER `Key code:` block laid out like VRP: sequence header, integer header, 4-byte groups five per line.</summary>
    public List<string> KeyCodeLines()
    {
        var intLen = Modulus.Length + 1;
        var seqLen = DerHeader(0x02, intLen).Length + intLen + 5;
        var lines = new List<string> { Convert.ToHexString(DerHeader(0x30, seqLen)), "  " + Convert.ToHexString(DerHeader(0x02, intLen)) };
        var hex = "00" + Convert.ToHexString(Modulus);
        var groups = Enumerable.Range(0, (hex.Length + 7) / 8).Select(i => hex.Substring(i * 8, Math.Min(8, hex.Length - (i * 8)))).ToList();
        for (var i = 0; i < groups.Count; i += 5)
        {
            lines.Add("    " + string.Join(' ', groups.Skip(i).Take(5)));
        }

        lines.Add("  0203");
        lines.Add("    010001");
        return lines;
    }

    private static byte[] DerHeader(byte tag, int length) => length switch
    {
        < 0x80 => [tag, (byte)length],
        < 0x100 => [tag, 0x81, (byte)length],
        _ => [tag, 0x82, (byte)(length >> 8), (byte)length],
    };
}
