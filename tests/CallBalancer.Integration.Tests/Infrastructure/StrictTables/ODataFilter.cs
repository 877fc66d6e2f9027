using System.Globalization;
using System.Text;

namespace CallBalancer.Integration.Tests.Infrastructure.StrictTables;

/// <summary>
/// The subset of OData v3 <c>$filter</c> the Table service supports: comparisons (<c>eq ne gt ge lt le</c>) of a
/// property with a literal, joined by <c>and</c>, <c>or</c>, <c>not</c> and parentheses. Literals: <c>'string'</c>
/// (quote doubled), <c>datetime'…'</c>, <c>guid'…'</c>, <c>X'…'</c>/<c>binary'…'</c>, <c>true</c>/<c>false</c>, and
/// numbers (<c>5</c> Int32, <c>5L</c> Int64, <c>5.0</c> Double). A comparison with a missing property, or between
/// values of different types, is false, as in the service. Anything else is a 400, as the service answers.
/// </summary>
internal sealed class ODataFilter
{
    private readonly Func<Func<string, EdmValue?>, bool> _predicate;

    private ODataFilter(Func<Func<string, EdmValue?>, bool> predicate) => _predicate = predicate;

    /// <summary>A filter that keeps everything (no <c>$filter</c>).</summary>
    public static ODataFilter All { get; } = new(_ => true);

    /// <summary>Parses a filter expression.</summary>
    /// <exception cref="TableServiceException">Not a filter the service accepts.</exception>
    public static ODataFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        var parser = new Parser(Tokenize(text));
        var predicate = parser.ParseOr();
        parser.ExpectEnd();
        return new ODataFilter(predicate);
    }

    /// <summary>True when the entity (its properties by name) matches.</summary>
    public bool Matches(Func<string, EdmValue?> property) => _predicate(property);

    private enum TokenKind
    {
        Open,
        Close,
        Word,
        Literal,
    }

    private sealed record Token(TokenKind Kind, string Text, EdmValue? Value = null);

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(' || c == ')')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.Open : TokenKind.Close, c.ToString()));
                i++;
            }
            else if (c == '\'')
            {
                tokens.Add(new Token(TokenKind.Literal, "string", new EdmValue(EdmType.String, ReadQuoted(s, ref i))));
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                tokens.Add(ReadNumber(s, ref i));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
                {
                    i++;
                }

                var word = s[start..i];
                if (i < s.Length && s[i] == '\'')
                {
                    tokens.Add(TypedLiteral(word, ReadQuoted(s, ref i)));
                }
                else if (word is "true" or "false")
                {
                    tokens.Add(new Token(TokenKind.Literal, word, new EdmValue(EdmType.Boolean, word == "true")));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Word, word));
                }
            }
            else
            {
                throw TableServiceException.InvalidInput($"Unexpected character '{c}' in $filter at {i}.");
            }
        }

        return tokens;
    }

    /// <summary>Reads an OData string literal starting at its opening quote (a doubled quote stands for one), moving past its end.</summary>
    internal static string ReadQuoted(string s, ref int i)
    {
        var sb = new StringBuilder();
        i++; // opening quote
        while (true)
        {
            if (i >= s.Length)
            {
                throw TableServiceException.InvalidInput($"Unterminated string literal in '{s}'.");
            }

            if (s[i] == '\'')
            {
                if (i + 1 < s.Length && s[i + 1] == '\'')
                {
                    sb.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                return sb.ToString();
            }

            sb.Append(s[i++]);
        }
    }

    private static Token ReadNumber(string s, ref int i)
    {
        var start = i;
        if (s[i] == '-')
        {
            i++;
        }

        while (i < s.Length && (char.IsDigit(s[i]) || s[i] is '.' or 'e' or 'E' || (s[i] is '+' or '-' && s[i - 1] is 'e' or 'E')))
        {
            i++;
        }

        var text = s[start..i];
        var suffix = i < s.Length && char.IsLetter(s[i]) ? char.ToUpperInvariant(s[i++]) : '\0';
        try
        {
            return suffix switch
            {
                'L' => new Token(TokenKind.Literal, text, new EdmValue(EdmType.Int64, long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))),
                'D' or 'M' or 'F' => new Token(TokenKind.Literal, text, new EdmValue(EdmType.Double, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))),
                '\0' when text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.OrdinalIgnoreCase) =>
                    new Token(TokenKind.Literal, text, new EdmValue(EdmType.Double, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))),
                '\0' => new Token(TokenKind.Literal, text, new EdmValue(EdmType.Int32, int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))),
                _ => throw TableServiceException.InvalidInput($"Unknown number suffix '{suffix}' in $filter."),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw TableServiceException.InvalidInput($"Bad number '{text}' in $filter.");
        }
    }

    private static Token TypedLiteral(string prefix, string body)
    {
        try
        {
            return prefix switch
            {
                "datetime" => new Token(TokenKind.Literal, prefix, new EdmValue(EdmType.DateTime, EdmValue.ParseDate(body))),
                "guid" => new Token(TokenKind.Literal, prefix, new EdmValue(EdmType.Guid, Guid.Parse(body, CultureInfo.InvariantCulture))),
                "X" or "binary" => new Token(TokenKind.Literal, prefix, new EdmValue(EdmType.Binary, Convert.FromHexString(body))),
                _ => throw TableServiceException.InvalidInput($"Unknown literal type '{prefix}' in $filter."),
            };
        }
        catch (FormatException)
        {
            throw TableServiceException.InvalidInput($"Bad {prefix} literal '{body}' in $filter.");
        }
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;

        public Func<Func<string, EdmValue?>, bool> ParseOr()
        {
            var left = ParseAnd();
            while (TryWord("or"))
            {
                var l = left;
                var r = ParseAnd();
                left = p => l(p) || r(p);
            }

            return left;
        }

        public void ExpectEnd()
        {
            if (_at != tokens.Count)
            {
                throw TableServiceException.InvalidInput($"Unexpected '{tokens[_at].Text}' in $filter.");
            }
        }

        private Func<Func<string, EdmValue?>, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (TryWord("and"))
            {
                var l = left;
                var r = ParseUnary();
                left = p => l(p) && r(p);
            }

            return left;
        }

        private Func<Func<string, EdmValue?>, bool> ParseUnary()
        {
            if (TryWord("not"))
            {
                var inner = ParseUnary();
                return p => !inner(p);
            }

            if (Peek()?.Kind == TokenKind.Open)
            {
                _at++;
                var inner = ParseOr();
                if (Next().Kind != TokenKind.Close)
                {
                    throw TableServiceException.InvalidInput("Missing ')' in $filter.");
                }

                return inner;
            }

            var left = Operand();
            var op = Next();
            if (op.Kind != TokenKind.Word || op.Text is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
            {
                throw TableServiceException.InvalidInput($"Expected a comparison operator in $filter, found '{op.Text}'.");
            }

            var right = Operand();
            Func<int, bool> test = op.Text switch
            {
                "eq" => c => c == 0,
                "ne" => c => c != 0,
                "gt" => c => c > 0,
                "ge" => c => c >= 0,
                "lt" => c => c < 0,
                _ => c => c <= 0,
            };
            return p => left(p) is { } a && right(p) is { } b && EdmValue.Compare(a, b) is { } c && test(c);
        }

        private Func<Func<string, EdmValue?>, EdmValue?> Operand()
        {
            var t = Next();
            return t.Kind switch
            {
                TokenKind.Literal => _ => t.Value,
                TokenKind.Word when t.Text is not ("and" or "or" or "not") => p => p(t.Text),
                _ => throw TableServiceException.InvalidInput($"Expected a property or a literal in $filter, found '{t.Text}'."),
            };
        }

        private Token? Peek() => _at < tokens.Count ? tokens[_at] : null;

        private Token Next() => _at < tokens.Count ? tokens[_at++] : throw TableServiceException.InvalidInput("The $filter ends too early.");

        private bool TryWord(string word)
        {
            if (Peek() is { Kind: TokenKind.Word } t && t.Text == word)
            {
                _at++;
                return true;
            }

            return false;
        }
    }
}
