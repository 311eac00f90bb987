namespace AwgProxy.Obfuscation;

/// <summary>
/// AmneziaWG's obfuscation parameters under their AWG names, so a block can be pasted from an AWG
/// config (<c>Jc = 4</c>, <c>H1 = 100-200</c>, <c>I1 = &lt;b 0x...&gt;&lt;r 16&gt;</c>) and bound with
/// Microsoft.Extensions.Configuration. Unset integers are 0 (off), unset H1..H4 are WireGuard's
/// message types 1..4, unset I1..I5 are not sent. An empty H or I value counts as unset.
/// Validate with <see cref="AwgOptionsValidator"/>; compile with <see cref="AwgProfile.Create"/>.
/// </summary>
public sealed class AwgOptions
{
    /// <summary>The configuration section the host binds by convention.</summary>
    public const string SectionName = "Awg";

    /// <summary>Junk packets sent before every handshake initiation (0 = none; at most <see cref="AwgOptionsValidator.MaxJc"/>).</summary>
    public int Jc { get; set; }

    /// <summary>Smallest junk packet, bytes.</summary>
    public int Jmin { get; set; }

    /// <summary>Largest junk packet, bytes (inclusive; at most the wire MTU).</summary>
    public int Jmax { get; set; }

    /// <summary>Random bytes in front of class 1 (initiation) datagrams.</summary>
    public int S1 { get; set; }

    /// <summary>Random bytes in front of class 2 (response) datagrams.</summary>
    public int S2 { get; set; }

    /// <summary>Random bytes in front of class 3 (cookie) datagrams.</summary>
    public int S3 { get; set; }

    /// <summary>Random bytes in front of class 4 (transport) datagrams.</summary>
    public int S4 { get; set; }

    /// <summary>Header range of class 1: "x" or "x-y", decimal uint32.</summary>
    public string? H1 { get; set; } = "1";

    /// <summary>Header range of class 2.</summary>
    public string? H2 { get; set; } = "2";

    /// <summary>Header range of class 3.</summary>
    public string? H3 { get; set; } = "3";

    /// <summary>Header range of class 4.</summary>
    public string? H4 { get; set; } = "4";

    /// <summary>First signature packet (a tag chain), sent before the junk.</summary>
    public string? I1 { get; set; }

    /// <summary>Second signature packet.</summary>
    public string? I2 { get; set; }

    /// <summary>Third signature packet.</summary>
    public string? I3 { get; set; }

    /// <summary>Fourth signature packet.</summary>
    public string? I4 { get; set; }

    /// <summary>Fifth signature packet.</summary>
    public string? I5 { get; set; }
}
