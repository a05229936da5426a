<#
    The Exchange Management Shell is Windows PowerShell 5.1. Every script in the repository is parsed here (with the
    PowerShell 7 parser, which knows the newer syntax) and must use none of what 5.1 cannot run; it must also be
    readable by 5.1 (ASCII, or UTF-8 with a BOM: 5.1 reads BOM-less files as the ANSI code page) and keep the CRLF
    line endings .editorconfig asks for.
#>
BeforeDiscovery {
    $repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot (Join-Path '..' '..'))).Path
    $skipped = @('bin', 'obj', '.git', '.tools', 'artifacts', 'TestResults', 'node_modules')
    $script:ScriptFiles = @(Get-ChildItem -LiteralPath $repoRoot -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
            Where-Object { $parts = $_.FullName.Substring($repoRoot.Length).Split([char[]]@('/', '\')); -not ($parts | Where-Object { $skipped -contains $_ }) } |
            ForEach-Object { @{ Path = $_.FullName; Name = $_.FullName.Substring($repoRoot.Length + 1) } })
}

BeforeAll {
    # Parameters that only exist after Windows PowerShell 5.1, by command (aliases included where common).
    $script:NewerParameters = @{
        'ForEach-Object'   = @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace')
        '%'                = @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace')
        'foreach'          = @('Parallel', 'ThrottleLimit')
        'Join-Path'        = @('AdditionalChildPath')
        'Get-Content'      = @('AsByteStream')
        'Set-Content'      = @('AsByteStream')
        'Add-Content'      = @('AsByteStream')
        'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
        'ConvertTo-Json'   = @('EscapeHandling', 'AsArray')
        'Split-Path'       = @('LeafBase', 'Extension')
        'Select-String'    = @('Raw', 'NoEmphasis')
        'Invoke-WebRequest' = @('SkipCertificateCheck', 'SslProtocol', 'Authentication', 'Token')
        'Invoke-RestMethod' = @('SkipCertificateCheck', 'SslProtocol', 'Authentication', 'Token')
        'Get-ChildItem'    = @('FollowSymlink')
        'Test-Connection'  = @('TargetName', 'TcpPort')
    }
    # 5.1 parameters that a newer one starts with: -Leaf is not an abbreviation of -LeafBase.
    $script:OlderParameters = @{ 'Split-Path' = @('Leaf') }
    $script:NewerCommands = @('Test-Json', 'Get-Error', 'Start-ThreadJob', 'ConvertFrom-Markdown', 'Show-Markdown', 'Get-Uptime', 'Remove-Alias', 'Join-String', 'New-Guid7')
    $script:NewerVariables = @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR')

    function Find-Windows51Problem {
        # Every construct in $Ast that Windows PowerShell 5.1 cannot parse or run, as "line: what" strings.
        param([Parameter(Mandatory)][System.Management.Automation.Language.Ast] $Ast)

        $problems = New-Object System.Collections.Generic.List[string]
        $all = $Ast.FindAll({ $true }, $true)
        foreach ($node in $all) {
            $line = $node.Extent.StartLineNumber
            $type = $node.GetType().Name
            switch ($type) {
                'TernaryExpressionAst' { $problems.Add("${line}: ternary operator ?:") }
                'PipelineChainAst' { $problems.Add("${line}: pipeline chain && or ||") }
                'BinaryExpressionAst' {
                    if ([string]$node.Operator -eq 'QuestionQuestion') { $problems.Add("${line}: null-coalescing operator ??") }
                }
                'AssignmentStatementAst' {
                    if ([string]$node.Operator -eq 'QuestionQuestionEquals') { $problems.Add("${line}: null-coalescing assignment ??=") }
                }
                { $_ -in @('MemberExpressionAst', 'InvokeMemberExpressionAst', 'IndexExpressionAst') } {
                    if ($node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { $problems.Add("${line}: null-conditional access ?. or ?[]") }
                }
                'ScriptBlockAst' {
                    if ($node.PSObject.Properties['CleanBlock'] -and $null -ne $node.CleanBlock) { $problems.Add("${line}: clean block") }
                    $required = $node.ScriptRequirements
                    if ($null -ne $required -and $null -ne $required.RequiredPSVersion -and $required.RequiredPSVersion -gt [version]'5.1') {
                        $problems.Add("${line}: #Requires -Version $($required.RequiredPSVersion)")
                    }
                    if ($null -ne $required -and @($required.RequiredPSEditions) -contains 'Core') { $problems.Add("${line}: #Requires -PSEdition Core") }
                }
                'VariableExpressionAst' {
                    if ($script:NewerVariables -contains $node.VariablePath.UserPath) { $problems.Add("${line}: `$$($node.VariablePath.UserPath) (undefined in 5.1)") }
                }
                'CommandAst' { Add-CommandProblem -Command $node -Problems $problems }
            }
        }
        , $problems.ToArray()
    }

    function Add-CommandProblem {
        param($Command, $Problems)

        $name = $Command.GetCommandName()
        if (-not $name) { return }
        $line = $Command.Extent.StartLineNumber
        if ($script:NewerCommands -contains $name) { $Problems.Add("${line}: $name (not in 5.1)") }
        if (-not $script:NewerParameters.ContainsKey($name)) { return }
        foreach ($parameter in @($Command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] })) {
            $given = $parameter.ParameterName
            $older = @($script:OlderParameters[$name] | Where-Object { $_ -and $_.StartsWith($given, [System.StringComparison]::OrdinalIgnoreCase) })
            if ($older.Count -gt 0) { continue }
            foreach ($newer in $script:NewerParameters[$name]) {
                # PowerShell accepts any unambiguous prefix of a parameter name.
                if ($parameter.ParameterName.Length -ge 3 -and $newer.StartsWith($parameter.ParameterName, [System.StringComparison]::OrdinalIgnoreCase)) {
                    $Problems.Add("${line}: $name -$newer (not in 5.1)")
                }
            }
        }
    }

    function Find-Windows51ProblemInText {
        param([Parameter(Mandatory)][string] $Text)

        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
        Find-Windows51Problem -Ast $ast
    }
}

Describe 'The 5.1 syntax check itself' {
    It 'flags <Name>' -ForEach @(
        @{ Name = 'the ternary operator'; Code = '$a = $b ? 1 : 2' }
        @{ Name = 'the null-coalescing operator'; Code = '$a = $b ?? 2' }
        @{ Name = 'null-coalescing assignment'; Code = '$a ??= 2' }
        @{ Name = 'null-conditional member access'; Code = '${a}?.Name' }
        @{ Name = 'null-conditional method call'; Code = '${a}?.ToString()' }
        @{ Name = 'null-conditional indexing'; Code = '${a}?[0]' }
        @{ Name = 'a pipeline chain with &&'; Code = 'Get-Item x && Get-Item y' }
        @{ Name = 'a pipeline chain with ||'; Code = 'Get-Item x || Write-Warning y' }
        @{ Name = 'ForEach-Object -Parallel'; Code = '1..3 | ForEach-Object -Parallel { $_ }' }
        @{ Name = '% -Parallel with an abbreviation'; Code = '1..3 | % -Para { $_ }' }
        @{ Name = 'a clean block'; Code = 'function f { process { 1 } clean { 2 } }' }
        @{ Name = 'Join-Path -AdditionalChildPath'; Code = 'Join-Path a b -AdditionalChildPath c' }
        @{ Name = 'Get-Content -AsByteStream'; Code = 'Get-Content x -AsByteStream' }
        @{ Name = 'ConvertFrom-Json -AsHashtable'; Code = '$j | ConvertFrom-Json -AsHashtable' }
        @{ Name = '$IsWindows'; Code = 'if ($IsWindows) { 1 }' }
        @{ Name = '#Requires -Version 7'; Code = "#Requires -Version 7.2`n1" }
        @{ Name = 'Test-Json'; Code = 'Test-Json -Json $j' }
        @{ Name = 'Split-Path -LeafBase'; Code = 'Split-Path x -LeafBase' }
    ) {
        Find-Windows51ProblemInText -Text $Code | Should -Not -BeNullOrEmpty
    }

    It 'accepts what 5.1 runs: classes, using namespace, splatting, -in, [pscustomobject], ::new()' {
        $code = @'
using namespace System.Collections.Generic
class Thing { [string] $Name }
$list = [List[string]]::new()
$p = @{ Path = 'x' }
Get-Item @p -ErrorAction SilentlyContinue
if ('a' -in @('a')) { [pscustomobject]@{ A = 1 } }
1..3 | ForEach-Object -Process { $_ }
Split-Path -Leaf x
$x = if ($true) { 1 } else { 2 }
'@
        Find-Windows51ProblemInText -Text $code | Should -BeNullOrEmpty
    }
}

Describe 'Windows PowerShell 5.1 compatibility of <Name>' -ForEach $ScriptFiles {
    BeforeAll {
        $script:Bytes = [System.IO.File]::ReadAllBytes($Path)
        $script:Tokens = $null
        $script:ParseErrors = $null
        $script:Ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$script:Tokens, [ref]$script:ParseErrors)
    }

    It 'parses without errors' {
        @($ParseErrors | ForEach-Object { "$($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'uses no syntax, command, parameter or variable newer than 5.1' {
        Find-Windows51Problem -Ast $Ast | Should -BeNullOrEmpty
    }

    It 'is ASCII, or UTF-8 with a byte order mark' {
        $hasBom = $Bytes.Length -ge 3 -and $Bytes[0] -eq 0xEF -and $Bytes[1] -eq 0xBB -and $Bytes[2] -eq 0xBF
        $nonAscii = @($Bytes | Where-Object { $_ -gt 0x7F }).Count
        ($hasBom -or $nonAscii -eq 0) | Should -BeTrue -Because "$nonAscii byte(s) above 0x7F and no BOM: Windows PowerShell 5.1 would read them in the ANSI code page"
    }

    It 'has CRLF line endings' {
        $bareLineFeeds = 0
        for ($i = 0; $i -lt $Bytes.Length; $i++) {
            if ($Bytes[$i] -eq 0x0A -and ($i -eq 0 -or $Bytes[$i - 1] -ne 0x0D)) { $bareLineFeeds++ }
        }
        $bareLineFeeds | Should -Be 0 -Because '.editorconfig sets end_of_line = crlf for PowerShell files'
    }
}
