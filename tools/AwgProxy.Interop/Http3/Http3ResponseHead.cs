using AwgProxy.Interop.Http3.Qpack;

namespace AwgProxy.Interop.Http3;

/// <summary>The parts of a decoded response HEADERS frame the client checks: :status and content-length.</summary>
public readonly record struct Http3ResponseHead(int Status, long? ContentLength)
{
    /// <summary>
    /// Decodes <paramref name="fieldSection"/>; on failure <paramref name="errorCode"/> is
    /// QPACK_DECOMPRESSION_FAILED or H3_MESSAGE_ERROR and <paramref name="error"/> says why.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> fieldSection, out Http3ResponseHead head, out long errorCode, out string? error)
    {
        head = default;
        errorCode = 0;
        error = null;
        Span<byte> scratch = stackalloc byte[4096];
        var reader = new QpackFieldSectionReader(fieldSection, scratch);
        int status = -1;
        long? contentLength = null;
        while (true)
        {
            QpackStatus result = reader.TryReadFieldLine(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value);
            if (result == QpackStatus.End)
            {
                break;
            }

            if (result != QpackStatus.FieldLine)
            {
                errorCode = Http3ErrorCode.QpackDecompressionFailed;
                error = $"QPACK: {result}";
                return false;
            }

            if (name.SequenceEqual(Http3FieldNames.Status))
            {
                if (status >= 0 || value.Length != 3 || !TryParseDecimal(value, out long code) || code < 100)
                {
                    return Malformed("bad or repeated :status", out errorCode, out error);
                }

                status = (int)code;
            }
            else if (name.SequenceEqual(Http3FieldNames.ContentLength))
            {
                if (!TryParseDecimal(value, out long length))
                {
                    return Malformed("bad content-length", out errorCode, out error);
                }

                contentLength = length;
            }
        }

        if (status < 0)
        {
            return Malformed("response without :status", out errorCode, out error);
        }

        head = new Http3ResponseHead(status, contentLength);
        return true;
    }

    /// <summary>
    /// Decodes a trailer section (HEADERS after the content) only to check that it is valid QPACK; its
    /// fields are not used.
    /// </summary>
    public static bool TryDecodeTrailers(ReadOnlySpan<byte> fieldSection, out string? error)
    {
        Span<byte> scratch = stackalloc byte[4096];
        var reader = new QpackFieldSectionReader(fieldSection, scratch);
        QpackStatus status;
        while ((status = reader.TryReadFieldLine(out _, out _)) == QpackStatus.FieldLine)
        {
        }

        error = status == QpackStatus.End ? null : $"QPACK: {status}";
        return error is null;
    }

    /// <summary>Parses 1 to 18 ASCII digits.</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }

        foreach (byte digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = value * 10 + (digit - '0');
        }

        return true;
    }

    private static bool Malformed(string message, out long errorCode, out string? error)
    {
        errorCode = Http3ErrorCode.MessageError;
        error = message;
        return false;
    }
}
