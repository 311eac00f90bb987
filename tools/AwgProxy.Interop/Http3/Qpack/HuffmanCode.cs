namespace AwgProxy.Interop.Http3.Qpack;

/// <summary>
/// RFC 7541 Appendix B, the Huffman code HPACK and QPACK use for string literals: for each symbol (the
/// 256 octet values and EOS = 256), the code aligned to the least significant bit ("code as hex aligned
/// to LSB") and its length in bits. Typed from the RFC text; the code is complete (Kraft sum exactly 1),
/// which a test checks.
/// </summary>
public static class HuffmanCode
{
    /// <summary>The end-of-string symbol: 30 one bits. Its leading bits pad the last octet.</summary>
    public const int EndOfString = 256;

    /// <summary>Number of symbols (256 octets + EOS).</summary>
    public const int SymbolCount = 257;

    private static readonly Code[] s_codes =
    [
        new(0x1ff8, 13), // 0
        new(0x7fffd8, 23), // 1
        new(0xfffffe2, 28), // 2
        new(0xfffffe3, 28), // 3
        new(0xfffffe4, 28), // 4
        new(0xfffffe5, 28), // 5
        new(0xfffffe6, 28), // 6
        new(0xfffffe7, 28), // 7
        new(0xfffffe8, 28), // 8
        new(0xffffea, 24), // 9
        new(0x3ffffffc, 30), // 10
        new(0xfffffe9, 28), // 11
        new(0xfffffea, 28), // 12
        new(0x3ffffffd, 30), // 13
        new(0xfffffeb, 28), // 14
        new(0xfffffec, 28), // 15
        new(0xfffffed, 28), // 16
        new(0xfffffee, 28), // 17
        new(0xfffffef, 28), // 18
        new(0xffffff0, 28), // 19
        new(0xffffff1, 28), // 20
        new(0xffffff2, 28), // 21
        new(0x3ffffffe, 30), // 22
        new(0xffffff3, 28), // 23
        new(0xffffff4, 28), // 24
        new(0xffffff5, 28), // 25
        new(0xffffff6, 28), // 26
        new(0xffffff7, 28), // 27
        new(0xffffff8, 28), // 28
        new(0xffffff9, 28), // 29
        new(0xffffffa, 28), // 30
        new(0xffffffb, 28), // 31
        new(0x14, 6), // 32 ' '
        new(0x3f8, 10), // 33 '!'
        new(0x3f9, 10), // 34 '"'
        new(0xffa, 12), // 35 '#'
        new(0x1ff9, 13), // 36 '$'
        new(0x15, 6), // 37 '%'
        new(0xf8, 8), // 38 '&'
        new(0x7fa, 11), // 39 '''
        new(0x3fa, 10), // 40 '('
        new(0x3fb, 10), // 41 ')'
        new(0xf9, 8), // 42 '*'
        new(0x7fb, 11), // 43 '+'
        new(0xfa, 8), // 44 ','
        new(0x16, 6), // 45 '-'
        new(0x17, 6), // 46 '.'
        new(0x18, 6), // 47 '/'
        new(0x0, 5), // 48 '0'
        new(0x1, 5), // 49 '1'
        new(0x2, 5), // 50 '2'
        new(0x19, 6), // 51 '3'
        new(0x1a, 6), // 52 '4'
        new(0x1b, 6), // 53 '5'
        new(0x1c, 6), // 54 '6'
        new(0x1d, 6), // 55 '7'
        new(0x1e, 6), // 56 '8'
        new(0x1f, 6), // 57 '9'
        new(0x5c, 7), // 58 ':'
        new(0xfb, 8), // 59 ';'
        new(0x7ffc, 15), // 60 '<'
        new(0x20, 6), // 61 '='
        new(0xffb, 12), // 62 '>'
        new(0x3fc, 10), // 63 '?'
        new(0x1ffa, 13), // 64 '@'
        new(0x21, 6), // 65 'A'
        new(0x5d, 7), // 66 'B'
        new(0x5e, 7), // 67 'C'
        new(0x5f, 7), // 68 'D'
        new(0x60, 7), // 69 'E'
        new(0x61, 7), // 70 'F'
        new(0x62, 7), // 71 'G'
        new(0x63, 7), // 72 'H'
        new(0x64, 7), // 73 'I'
        new(0x65, 7), // 74 'J'
        new(0x66, 7), // 75 'K'
        new(0x67, 7), // 76 'L'
        new(0x68, 7), // 77 'M'
        new(0x69, 7), // 78 'N'
        new(0x6a, 7), // 79 'O'
        new(0x6b, 7), // 80 'P'
        new(0x6c, 7), // 81 'Q'
        new(0x6d, 7), // 82 'R'
        new(0x6e, 7), // 83 'S'
        new(0x6f, 7), // 84 'T'
        new(0x70, 7), // 85 'U'
        new(0x71, 7), // 86 'V'
        new(0x72, 7), // 87 'W'
        new(0xfc, 8), // 88 'X'
        new(0x73, 7), // 89 'Y'
        new(0xfd, 8), // 90 'Z'
        new(0x1ffb, 13), // 91 '['
        new(0x7fff0, 19), // 92 '\'
        new(0x1ffc, 13), // 93 ']'
        new(0x3ffc, 14), // 94 '^'
        new(0x22, 6), // 95 '_'
        new(0x7ffd, 15), // 96 '`'
        new(0x3, 5), // 97 'a'
        new(0x23, 6), // 98 'b'
        new(0x4, 5), // 99 'c'
        new(0x24, 6), // 100 'd'
        new(0x5, 5), // 101 'e'
        new(0x25, 6), // 102 'f'
        new(0x26, 6), // 103 'g'
        new(0x27, 6), // 104 'h'
        new(0x6, 5), // 105 'i'
        new(0x74, 7), // 106 'j'
        new(0x75, 7), // 107 'k'
        new(0x28, 6), // 108 'l'
        new(0x29, 6), // 109 'm'
        new(0x2a, 6), // 110 'n'
        new(0x7, 5), // 111 'o'
        new(0x2b, 6), // 112 'p'
        new(0x76, 7), // 113 'q'
        new(0x2c, 6), // 114 'r'
        new(0x8, 5), // 115 's'
        new(0x9, 5), // 116 't'
        new(0x2d, 6), // 117 'u'
        new(0x77, 7), // 118 'v'
        new(0x78, 7), // 119 'w'
        new(0x79, 7), // 120 'x'
        new(0x7a, 7), // 121 'y'
        new(0x7b, 7), // 122 'z'
        new(0x7ffe, 15), // 123 '{'
        new(0x7fc, 11), // 124 '|'
        new(0x3ffd, 14), // 125 '}'
        new(0x1ffd, 13), // 126 '~'
        new(0xffffffc, 28), // 127
        new(0xfffe6, 20), // 128
        new(0x3fffd2, 22), // 129
        new(0xfffe7, 20), // 130
        new(0xfffe8, 20), // 131
        new(0x3fffd3, 22), // 132
        new(0x3fffd4, 22), // 133
        new(0x3fffd5, 22), // 134
        new(0x7fffd9, 23), // 135
        new(0x3fffd6, 22), // 136
        new(0x7fffda, 23), // 137
        new(0x7fffdb, 23), // 138
        new(0x7fffdc, 23), // 139
        new(0x7fffdd, 23), // 140
        new(0x7fffde, 23), // 141
        new(0xffffeb, 24), // 142
        new(0x7fffdf, 23), // 143
        new(0xffffec, 24), // 144
        new(0xffffed, 24), // 145
        new(0x3fffd7, 22), // 146
        new(0x7fffe0, 23), // 147
        new(0xffffee, 24), // 148
        new(0x7fffe1, 23), // 149
        new(0x7fffe2, 23), // 150
        new(0x7fffe3, 23), // 151
        new(0x7fffe4, 23), // 152
        new(0x1fffdc, 21), // 153
        new(0x3fffd8, 22), // 154
        new(0x7fffe5, 23), // 155
        new(0x3fffd9, 22), // 156
        new(0x7fffe6, 23), // 157
        new(0x7fffe7, 23), // 158
        new(0xffffef, 24), // 159
        new(0x3fffda, 22), // 160
        new(0x1fffdd, 21), // 161
        new(0xfffe9, 20), // 162
        new(0x3fffdb, 22), // 163
        new(0x3fffdc, 22), // 164
        new(0x7fffe8, 23), // 165
        new(0x7fffe9, 23), // 166
        new(0x1fffde, 21), // 167
        new(0x7fffea, 23), // 168
        new(0x3fffdd, 22), // 169
        new(0x3fffde, 22), // 170
        new(0xfffff0, 24), // 171
        new(0x1fffdf, 21), // 172
        new(0x3fffdf, 22), // 173
        new(0x7fffeb, 23), // 174
        new(0x7fffec, 23), // 175
        new(0x1fffe0, 21), // 176
        new(0x1fffe1, 21), // 177
        new(0x3fffe0, 22), // 178
        new(0x1fffe2, 21), // 179
        new(0x7fffed, 23), // 180
        new(0x3fffe1, 22), // 181
        new(0x7fffee, 23), // 182
        new(0x7fffef, 23), // 183
        new(0xfffea, 20), // 184
        new(0x3fffe2, 22), // 185
        new(0x3fffe3, 22), // 186
        new(0x3fffe4, 22), // 187
        new(0x7ffff0, 23), // 188
        new(0x3fffe5, 22), // 189
        new(0x3fffe6, 22), // 190
        new(0x7ffff1, 23), // 191
        new(0x3ffffe0, 26), // 192
        new(0x3ffffe1, 26), // 193
        new(0xfffeb, 20), // 194
        new(0x7fff1, 19), // 195
        new(0x3fffe7, 22), // 196
        new(0x7ffff2, 23), // 197
        new(0x3fffe8, 22), // 198
        new(0x1ffffec, 25), // 199
        new(0x3ffffe2, 26), // 200
        new(0x3ffffe3, 26), // 201
        new(0x3ffffe4, 26), // 202
        new(0x7ffffde, 27), // 203
        new(0x7ffffdf, 27), // 204
        new(0x3ffffe5, 26), // 205
        new(0xfffff1, 24), // 206
        new(0x1ffffed, 25), // 207
        new(0x7fff2, 19), // 208
        new(0x1fffe3, 21), // 209
        new(0x3ffffe6, 26), // 210
        new(0x7ffffe0, 27), // 211
        new(0x7ffffe1, 27), // 212
        new(0x3ffffe7, 26), // 213
        new(0x7ffffe2, 27), // 214
        new(0xfffff2, 24), // 215
        new(0x1fffe4, 21), // 216
        new(0x1fffe5, 21), // 217
        new(0x3ffffe8, 26), // 218
        new(0x3ffffe9, 26), // 219
        new(0xffffffd, 28), // 220
        new(0x7ffffe3, 27), // 221
        new(0x7ffffe4, 27), // 222
        new(0x7ffffe5, 27), // 223
        new(0xfffec, 20), // 224
        new(0xfffff3, 24), // 225
        new(0xfffed, 20), // 226
        new(0x1fffe6, 21), // 227
        new(0x3fffe9, 22), // 228
        new(0x1fffe7, 21), // 229
        new(0x1fffe8, 21), // 230
        new(0x7ffff3, 23), // 231
        new(0x3fffea, 22), // 232
        new(0x3fffeb, 22), // 233
        new(0x1ffffee, 25), // 234
        new(0x1ffffef, 25), // 235
        new(0xfffff4, 24), // 236
        new(0xfffff5, 24), // 237
        new(0x3ffffea, 26), // 238
        new(0x7ffff4, 23), // 239
        new(0x3ffffeb, 26), // 240
        new(0x7ffffe6, 27), // 241
        new(0x3ffffec, 26), // 242
        new(0x3ffffed, 26), // 243
        new(0x7ffffe7, 27), // 244
        new(0x7ffffe8, 27), // 245
        new(0x7ffffe9, 27), // 246
        new(0x7ffffea, 27), // 247
        new(0x7ffffeb, 27), // 248
        new(0xffffffe, 28), // 249
        new(0x7ffffec, 27), // 250
        new(0x7ffffed, 27), // 251
        new(0x7ffffee, 27), // 252
        new(0x7ffffef, 27), // 253
        new(0x7fffff0, 27), // 254
        new(0x3ffffee, 26), // 255
        new(0x3fffffff, 30), // 256 EOS
    ];

    /// <summary>The code of <paramref name="symbol"/>, right-aligned in <see cref="Code.Bits"/>.</summary>
    public static Code Get(int symbol) => s_codes[symbol];

    /// <summary>One row of the table: <see cref="Length"/> bits, right-aligned in <see cref="Bits"/>.</summary>
    public readonly record struct Code(uint Bits, int Length);
}
