using System.Text.RegularExpressions;

namespace CallBalancer.Infra.Tests;

/// <summary>Recognises a compiled reference to a module's output.</summary>
internal static class ModuleOutput
{
    /// <summary>
    /// Asserts that <paramref name="expression"/> reads output <paramref name="output"/> of module
    /// <paramref name="module"/>: Bicep compiles <c>storage.outputs.name</c> to
    /// <c>reference(extensionResourceId(..., 'Microsoft.Resources/deployments', 'storage'), '&lt;api&gt;').outputs.name.value</c>.
    /// </summary>
    public static void AssertReferences(string expression, string module, string output)
    {
        var pattern = $@"'Microsoft\.Resources/deployments', '{Regex.Escape(module)}'\), '[0-9a-z-]+'\)\.outputs\.{Regex.Escape(output)}\.value";
        Assert.True(
            Regex.IsMatch(expression, pattern),
            $"Expected a reference to output {output} of module {module}, got: {expression}");
    }
}
