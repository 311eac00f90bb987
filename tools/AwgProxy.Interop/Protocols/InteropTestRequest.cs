namespace AwgProxy.Interop.Protocols;

/// <summary>What a client asks for on an interop-test stream.</summary>
public enum InteropTestRequestKind
{
    /// <summary><c>GET n</c> or <c>GET /n</c>: the server sends n pattern bytes, then FIN.</summary>
    Get,

    /// <summary><c>PUT</c> or <c>DISCARD</c>: the server counts bytes to FIN and answers <c>OK n\n</c>.</summary>
    Put,

    /// <summary><c>ECHO</c>: the server returns every byte, then FIN after the client's FIN.</summary>
    Echo,
}

/// <summary>
/// The request line that starts every client-initiated bidirectional stream of the interop-test
/// protocol (quicgo-peer's <c>serveStream</c>): the line up to the first <c>\n</c>, trailing CR/LF trimmed,
/// split on whitespace.
/// <code>
/// "GET &lt;n&gt;\n"      n decimal, optionally "/n" (so "GET /&lt;n&gt;\r\n" works too); extra words ignored
/// "PUT\n"          alias "DISCARD\n"
/// "ECHO\n"
/// anything else    rejected: RESET_STREAM + STOP_SENDING with 0x101
/// </code>
/// </summary>
public readonly record struct InteropTestRequest(InteropTestRequestKind Kind, long Length)
{
    /// <summary>The longest request line accepted, newline included (quicgo-peer reads it through a 4 KiB buffer).</summary>
    public const int MaxLineLength = 4096;

    /// <summary>
    /// Looks for a complete request line at the start of <paramref name="buffer"/>. Returns
    /// <see cref="InteropTestRequestStatus.NeedMore"/> if the newline has not arrived yet,
    /// <see cref="InteropTestRequestStatus.Invalid"/> for a line that must be rejected (including one longer
    /// than <see cref="MaxLineLength"/>), else <see cref="InteropTestRequestStatus.Complete"/> with the request and
    /// the octets the line took (the rest of the buffer is payload).
    /// </summary>
    public static InteropTestRequestStatus TryParse(ReadOnlySpan<byte> buffer, out InteropTestRequest request, out int lineLength)
    {
        request = default;
        lineLength = 0;
        ReadOnlySpan<byte> window = buffer.Length > MaxLineLength ? buffer[..MaxLineLength] : buffer;
        int newline = window.IndexOf((byte)'\n');
        if (newline < 0)
        {
            return buffer.Length >= MaxLineLength ? InteropTestRequestStatus.Invalid : InteropTestRequestStatus.NeedMore;
        }

        ReadOnlySpan<byte> line = window[..newline].TrimEnd("\r\n"u8);
        Span<Range> words = stackalloc Range[3];
        int count = SplitFields(line, words);
        ReadOnlySpan<byte> verb = count > 0 ? line[words[0]] : default;
        InteropTestRequestStatus status = InteropTestRequestStatus.Invalid;
        if (count >= 2 && verb.SequenceEqual("GET"u8))
        {
            ReadOnlySpan<byte> number = line[words[1]];
            if (!number.IsEmpty && number[0] == (byte)'/')
            {
                number = number[1..];
            }

            if (TryParseNonNegative(number, out long length))
            {
                request = new InteropTestRequest(InteropTestRequestKind.Get, length);
                status = InteropTestRequestStatus.Complete;
            }
        }
        else if (count == 1 && (verb.SequenceEqual("PUT"u8) || verb.SequenceEqual("DISCARD"u8)))
        {
            request = new InteropTestRequest(InteropTestRequestKind.Put, 0);
            status = InteropTestRequestStatus.Complete;
        }
        else if (count == 1 && verb.SequenceEqual("ECHO"u8))
        {
            request = new InteropTestRequest(InteropTestRequestKind.Echo, 0);
            status = InteropTestRequestStatus.Complete;
        }

        if (status == InteropTestRequestStatus.Complete)
        {
            lineLength = newline + 1;
        }

        return status;
    }

    /// <summary>
    /// Go's <c>strings.Fields</c> over ASCII whitespace: fills up to <paramref name="words"/>.Length ranges and
    /// returns how many words there are (capped at that length, which is enough to tell 1, 2 and "more").
    /// </summary>
    private static int SplitFields(ReadOnlySpan<byte> line, Span<Range> words)
    {
        int count = 0;
        int i = 0;
        while (i < line.Length && count < words.Length)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            int start = i;
            while (i < line.Length && !IsSpace(line[i]))
            {
                i++;
            }

            words[count++] = start..i;
        }

        return count;
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    /// <summary>Go's <c>strconv.ParseInt(s, 10, 64)</c> followed by the <c>n &lt; 0</c> check.</summary>
    private static bool TryParseNonNegative(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        bool negative = false;
        if (!text.IsEmpty && (text[0] == (byte)'+' || text[0] == (byte)'-'))
        {
            negative = text[0] == (byte)'-';
            text = text[1..];
        }

        if (text.IsEmpty)
        {
            return false;
        }

        foreach (byte digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            int d = digit - '0';
            if (value > (long.MaxValue - d) / 10)
            {
                return false;
            }

            value = value * 10 + d;
        }

        // "-0" is 0 and allowed, any other negative number is rejected.
        return !negative || value == 0;
    }
}

/// <summary>The outcome of <see cref="InteropTestRequest.TryParse"/>.</summary>
public enum InteropTestRequestStatus
{
    NeedMore,
    Complete,
    Invalid,
}
