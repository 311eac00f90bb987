namespace AwgProxy.Quic.Packets;

/// <summary>
/// Where <see cref="PacketHeaderWriter"/> put the parts a packet builder fills in later, as offsets in
/// the writer's buffer.
/// </summary>
/// <param name="HeaderOffset">The first byte of the packet.</param>
/// <param name="LengthOffset">The 2-byte Length field to patch with <see cref="PacketHeaderWriter.PatchLength"/>; -1 for a short header.</param>
/// <param name="PacketNumberOffset">The packet number (header protection samples from here + 4).</param>
/// <param name="PayloadOffset">The first payload byte.</param>
public readonly record struct HeaderLayout(int HeaderOffset, int LengthOffset, int PacketNumberOffset, int PayloadOffset)
{
    /// <summary>The packet number length written.</summary>
    public int PacketNumberLength => PayloadOffset - PacketNumberOffset;
}
