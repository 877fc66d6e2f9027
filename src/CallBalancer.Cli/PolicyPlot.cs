using System.Buffers.Binary;
using System.IO.Compression;
using CallBalancer.Core.Simulation;

namespace CallBalancer.Cli;

/// <summary>
/// Draws a simulated day as a PNG without a plotting package (ScottPlot needs SkiaSharp's native assets): three
/// panels per half-hour sharing the time axis: arrivals (bars); staffed agents (blue) and cross-sell agents
/// (orange); service level of the policy (green) and of service-only (grey) with the target (red).
/// </summary>
internal static class PolicyPlot
{
    private const int Width = 960;
    private const int Height = 720;
    private const int Left = 60;
    private const int Right = 20;

    public static byte[] Render(SimulationResult result, SimulationResult? serviceOnly, double target)
    {
        var canvas = new Canvas(Width, Height);
        canvas.Fill(0, 0, Width, Height, 0xFFFFFF);
        var hours = result.HalfHours.Where(h => h.OfferedCalls > 0 || h.PlannedAgents > 0).ToList();
        if (hours.Count == 0)
        {
            return canvas.ToPng();
        }

        var first = hours[0].StartSeconds;
        var last = hours[^1].StartSeconds + 1800;
        int X(double seconds) => Left + (int)Math.Round((seconds - first) / (last - first) * (Width - Left - Right));

        canvas.Text(Left, 6, $"{result.Day:yyyy-MM-dd} POLICY {result.Policy.ToUpperInvariant()}  SL {result.ServiceLevel * 100:0.0}%  WORST HH {result.WorstHalfHourServiceLevel * 100:0.0}%  XSELL {result.CrossSellCalls}  FLIPS {result.ModeFlips}", 0x000000);

        // Panel 1: arrivals per half-hour.
        var (top1, bottom1) = (40, 230);
        var maxCalls = Math.Max(1, hours.Max(h => h.OfferedCalls));
        Frame(canvas, top1, bottom1, $"ARRIVALS PER HALF-HOUR (MAX {maxCalls})");
        foreach (var h in hours)
        {
            var y = bottom1 - (int)((double)h.OfferedCalls / maxCalls * (bottom1 - top1 - 4));
            canvas.Fill(X(h.StartSeconds) + 1, y, X(h.StartSeconds + 1800) - 1, bottom1, 0x9AA5B1);
        }

        // Panel 2: agents.
        var (top2, bottom2) = (260, 470);
        var maxAgents = Math.Max(1, hours.Max(h => Math.Max(h.PlannedAgents, h.MeanStaffedAgents)));
        Frame(canvas, top2, bottom2, $"STAFFED AGENTS (BLUE) AND CROSS-SELL AGENTS (ORANGE), MAX {maxAgents:0}");
        Steps(canvas, hours, X, h => h.MeanStaffedAgents / maxAgents, top2, bottom2, 0x1F77B4);
        Steps(canvas, hours, X, h => h.MeanCrossSellAgents / maxAgents, top2, bottom2, 0xFF7F0E);

        // Panel 3: service level, 50% to 100%.
        var (top3, bottom3) = (500, 700);
        Frame(canvas, top3, bottom3, "SERVICE LEVEL 50-100%: POLICY (GREEN), SERVICE-ONLY (GREY), TARGET (RED)");
        double Level(double sl) => Math.Clamp((sl - 0.5) / 0.5, 0, 1);
        var yTarget = bottom3 - (int)(Level(target) * (bottom3 - top3));
        for (var x = Left; x < Width - Right; x += 6)
        {
            canvas.Fill(x, yTarget, x + 3, yTarget + 1, 0xD62728);
        }

        if (serviceOnly is not null)
        {
            var so = serviceOnly.HalfHours.Where(h => h.OfferedCalls > 0).ToList();
            Steps(canvas, so, X, h => Level(h.ServiceLevel), top3, bottom3, 0x7F7F7F);
        }

        Steps(canvas, hours.Where(h => h.OfferedCalls > 0).ToList(), X, h => Level(h.ServiceLevel), top3, bottom3, 0x2CA02C);

        // Hour ticks.
        for (var t = (first + 3599) / 3600 * 3600; t <= last; t += 3600)
        {
            canvas.Fill(X(t), bottom3, X(t) + 1, bottom3 + 4, 0x000000);
            if ((t / 3600) % 2 == 0)
            {
                canvas.Text(X(t) - 5, bottom3 + 6 > Height - 8 ? Height - 8 : bottom3 + 6, $"{t / 3600}", 0x000000);
            }
        }

        return canvas.ToPng();
    }

    private static void Frame(Canvas canvas, int top, int bottom, string title)
    {
        canvas.Text(Left, top - 12, title, 0x000000);
        canvas.Fill(Left, top, Left + 1, bottom, 0x000000);
        canvas.Fill(Left, bottom, Width - Right, bottom + 1, 0x000000);
    }

    private static void Steps(Canvas canvas, IReadOnlyList<HalfHourResult> hours, Func<double, int> x, Func<HalfHourResult, double> value, int top, int bottom, int color)
    {
        int? previousY = null;
        foreach (var h in hours)
        {
            var y = bottom - (int)Math.Round(Math.Clamp(value(h), 0, 1) * (bottom - top));
            var x0 = x(h.StartSeconds);
            var x1 = x(h.StartSeconds + 1800);
            if (previousY is { } p)
            {
                canvas.Fill(x0, Math.Min(p, y), x0 + 2, Math.Max(p, y) + 2, color);
            }

            canvas.Fill(x0, y, x1, y + 2, color);
            previousY = y;
        }
    }

    /// <summary>An RGB raster with rectangle fill, a 5x7 font and a PNG encoder (zlib via <see cref="ZLibStream"/>).</summary>
    private sealed class Canvas(int width, int height)
    {
        private static readonly Dictionary<char, string[]> Font = BuildFont();
        private readonly byte[] _rgb = new byte[width * height * 3];

        public void Fill(int x0, int y0, int x1, int y1, int color)
        {
            for (var y = Math.Max(0, y0); y < Math.Min(height, y1); y++)
            {
                for (var x = Math.Max(0, x0); x < Math.Min(width, x1); x++)
                {
                    var i = (y * width + x) * 3;
                    _rgb[i] = (byte)(color >> 16);
                    _rgb[i + 1] = (byte)(color >> 8);
                    _rgb[i + 2] = (byte)color;
                }
            }
        }

        public void Text(int x, int y, string text, int color)
        {
            foreach (var ch in text)
            {
                if (Font.TryGetValue(char.ToUpperInvariant(ch), out var rows))
                {
                    for (var r = 0; r < rows.Length; r++)
                    {
                        for (var c = 0; c < rows[r].Length; c++)
                        {
                            if (rows[r][c] == '#')
                            {
                                Fill(x + c, y + r, x + c + 1, y + r + 1, color);
                            }
                        }
                    }
                }

                x += 6;
            }
        }

        public byte[] ToPng()
        {
            using var png = new MemoryStream();
            png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
            header[8] = 8; // bit depth
            header[9] = 2; // truecolour RGB
            Chunk(png, "IHDR", header);
            using var raw = new MemoryStream();
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    z.WriteByte(0); // filter: none
                    z.Write(_rgb, y * width * 3, width * 3);
                }
            }

            Chunk(png, "IDAT", raw.ToArray());
            Chunk(png, "IEND", []);
            return png.ToArray();
        }

        private static void Chunk(Stream s, string type, byte[] data)
        {
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
            s.Write(len);
            var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
            s.Write(typeBytes);
            s.Write(data);
            var crc = Crc32(typeBytes, data);
            BinaryPrimitives.WriteUInt32BigEndian(len, crc);
            s.Write(len);
        }

        private static uint Crc32(byte[] a, byte[] b)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var part in new[] { a, b })
            {
                foreach (var x in part)
                {
                    crc ^= x;
                    for (var k = 0; k < 8; k++)
                    {
                        crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
                    }
                }
            }

            return ~crc;
        }

        private static Dictionary<char, string[]> BuildFont()
        {
            // A 5x7 bitmap font for the characters the titles use.
            var glyphs = new Dictionary<char, string>
            {
                ['0'] = ".###.#...##..###.#.###..##...#.###.", ['1'] = "..#...##....#....#....#....#...###.",
                ['2'] = ".###.#...#....#...#...#...#...#####", ['3'] = "#####...#...#.....#.....##...#.###.",
                ['4'] = "...#...##..#.#.#..#.#####...#....#.", ['5'] = "######....####.....#....##...#.###.",
                ['6'] = "..##..#...#....####.#...##...#.###.", ['7'] = "#####....#...#...#...#....#....#...",
                ['8'] = ".###.#...##...#.###.#...##...#.###.", ['9'] = ".###.#...##...#.####....#...#..##..",
                ['A'] = ".###.#...##...#######...##...##...#", ['B'] = "####.#...##...#####.#...##...#####.",
                ['C'] = ".###.#...##....#....#....#...#.###.", ['D'] = "####.#...##...##...##...##...#####.",
                ['E'] = "######....#....####.#....#....#####", ['F'] = "######....#....####.#....#....#....",
                ['G'] = ".###.#...##....#.####...##...#.####", ['H'] = "#...##...##...#######...##...##...#",
                ['I'] = ".###...#....#....#....#....#...###.", ['J'] = "..###...#....#....#....#.#..#..##..",
                ['K'] = "#...##..#.#.#..##...#.#..#..#.#...#", ['L'] = "#....#....#....#....#....#....#####",
                ['M'] = "#...###.###.#.##.#.##...##...##...#", ['N'] = "#...##...###..##.#.##..###...##...#",
                ['O'] = ".###.#...##...##...##...##...#.###.", ['P'] = "####.#...##...#####.#....#....#....",
                ['Q'] = ".###.#...##...##...##.#.##..#..##.#", ['R'] = "####.#...##...#####.#.#..#..#.#...#",
                ['S'] = ".#####....#.....###.....#....#####.", ['T'] = "#####..#....#....#....#....#....#..",
                ['U'] = "#...##...##...##...##...##...#.###.", ['V'] = "#...##...##...##...##...#.#.#...#..",
                ['W'] = "#...##...##...##.#.##.#.##.#.#.#.#.", ['X'] = "#...##...#.#.#...#...#.#.#...##...#",
                ['Y'] = "#...##...#.#.#...#....#....#....#..", ['Z'] = "#####....#...#...#...#...#....#####",
                ['%'] = "##...##..#...#...#...#...#..##...##", ['.'] = "..........................##...##..",
                [':'] = "......##...##........##...##.......", ['-'] = "................###................",
                ['('] = "...#...#...#....#....#.....#.....#.", [')'] = ".#.....#.....#....#....#...#...#...",
                [','] = ".....................##....#...#...", ['/'] = ".........#...#...#...#...#.........",
                ['='] = "..........#####.....#####..........",
            };
            var font = new Dictionary<char, string[]>();
            foreach (var (ch, bits) in glyphs)
            {
                var padded = bits.PadRight(35, '.');
                font[ch] = Enumerable.Range(0, 7).Select(r => padded.Substring(r * 5, 5)).ToArray();
            }

            return font;
        }
    }
}
