<#
    Installer/New-ReleasePackage.ps1: what the zip holds and, as much, what it must never hold. The build itself is
    left out here (-NoBuild): dotnet test has just built the agent, and building again inside the test run would
    double the time on a small machine.
#>
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:PackageScript = Join-Path (Join-Path $RepoRoot 'Installer') 'New-ReleasePackage.ps1'
    $props = New-Object System.Xml.XmlDocument
    $props.Load((Join-Path $RepoRoot 'Directory.Build.props'))
    $script:Version = $props.SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

    function Get-ZipEntry {
        param([Parameter(Mandatory)][string] $Path)
        $archive = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try { @($archive.Entries | ForEach-Object { $_.FullName -replace '\\', '/' }) } finally { $archive.Dispose() }
    }

    function New-FakeAgentOutput {
        # A net48 build output with the agent, its dependencies, and what must never ship beside them.
        param([string] $Path)
        $null = New-Item -ItemType Directory -Path $Path -Force
        foreach ($name in @('ExchangeEncryptionAgent', 'MimeKit', 'BouncyCastle.Cryptography', 'NLog', 'System.Memory', 'System.Buffers', 'Microsoft.Exchange.Data.Transport', 'Microsoft.Exchange.Data.Common', 'xunit.core', 'ExchangeEncryptionAgent.Tests')) {
            Set-Content -LiteralPath (Join-Path $Path "$name.dll") -Value $name
        }
        Set-Content -LiteralPath (Join-Path $Path 'ExchangeEncryptionAgent.xml') -Value '<doc/>'
        $Path
    }
}

Describe 'New-ReleasePackage.ps1' {
    Context 'with a build output that also holds Exchange and test assemblies' {
        BeforeAll {
            $script:AgentOutput = New-FakeAgentOutput -Path (Join-Path $TestDrive 'net48')
            $script:Zip = & $PackageScript -NoBuild -AgentOutputPath $AgentOutput -OutputDirectory (Join-Path $TestDrive 'out') 3>$null
            $script:Entries = Get-ZipEntry -Path $Zip.FullName
        }

        It 'writes ExchangeEncryptionAgent-<version>.zip with the version from Directory.Build.props' {
            $Zip.Name | Should -Be "ExchangeEncryptionAgent-$Version.zip"
        }

        It 'puts the agent and every dependency DLL in agent/' {
            foreach ($name in @('ExchangeEncryptionAgent', 'MimeKit', 'BouncyCastle.Cryptography', 'NLog', 'System.Memory', 'System.Buffers')) {
                $Entries | Should -Contain "agent/$name.dll"
            }
        }

        It 'ships no Exchange assembly, no test assembly and no xunit' {
            @($Entries | Where-Object { $_ -match '(^|/)Microsoft\.Exchange\.' }) | Should -BeNullOrEmpty
            @($Entries | Where-Object { $_ -match '(^|/)xunit' }) | Should -BeNullOrEmpty
            @($Entries | Where-Object { $_ -match '\.Tests\.' }) | Should -BeNullOrEmpty
        }

        It 'puts NLog.config beside the agent, as the installer ships it' {
            $Entries | Should -Contain 'agent/NLog.config'
        }

        It 'ships install.ps1 and the module, without its tests or the packaging script' {
            $Entries | Should -Contain 'install.ps1'
            $Entries | Should -Contain 'Installer/ExchangeEncryptionAgent.Installer.psm1'
            $Entries | Should -Contain 'Installer/ExchangeEncryptionAgent.Installer.psd1'
            @($Entries | Where-Object { $_ -like 'Installer/Tests*' -or $_ -like '*New-ReleasePackage.ps1' -or $_ -like '*.Tests.ps1' }) | Should -BeNullOrEmpty
        }

        It 'ships the module as one .psm1 built from Public/ and Private/, not its parts' {
            @($Entries | Where-Object { $_ -like 'Installer/*' } | Sort-Object) | Should -Be @('Installer/ExchangeEncryptionAgent.Installer.psd1', 'Installer/ExchangeEncryptionAgent.Installer.psm1')
            $extracted = Join-Path $TestDrive 'module-check'
            [System.IO.Compression.ZipFile]::ExtractToDirectory($Zip.FullName, $extracted)
            $shipped = Join-Path (Join-Path $extracted 'Installer') 'ExchangeEncryptionAgent.Installer.psm1'
            (Get-FileHash -LiteralPath $shipped).Hash | Should -Be (Get-FileHash -LiteralPath $InstallerModulePath).Hash -Because 'the tests run against the module as it ships'
        }

        It 'ships the documentation, with the operations guide' {
            $Entries | Should -Contain 'docs/operations.md'
        }

        It 'ships every file of Policies/ that exists in the repository' {
            $policies = Join-Path $RepoRoot 'Policies'
            if (Test-Path -LiteralPath $policies) {
                foreach ($file in Get-ChildItem -LiteralPath $policies -Recurse -File) {
                    $Entries | Should -Contain ('Policies/' + ($file.FullName.Substring($policies.Length + 1) -replace '\\', '/'))
                }
            }
            else {
                @($Entries | Where-Object { $_ -like 'Policies/*' }) | Should -BeNullOrEmpty
            }
        }

        It 'lays the package out the way install.ps1 expects it' {
            $extracted = Join-Path $TestDrive 'extracted'
            [System.IO.Compression.ZipFile]::ExtractToDirectory($Zip.FullName, $extracted)
            $view = InModuleScope $InstallerModuleName -Parameters @{ Root = $extracted } { param($Root) New-PackageView -PackageRoot $Root }
            $view.PackageAssemblyPath | Should -Exist
            Join-Path (Join-Path $extracted 'Installer') 'ExchangeEncryptionAgent.Installer.psd1' | Should -Exist
        }
    }

    It 'packages the real net48 build output: every DLL in it except Exchange''s' {
        $configuration = $env:EEA_CONFIGURATION
        if (-not $configuration) { $configuration = 'Release' }
        $output = Join-Path (Join-Path (Join-Path (Join-Path $RepoRoot 'Agent') 'bin') $configuration) 'net48'
        Join-Path $output 'ExchangeEncryptionAgent.dll' | Should -Exist -Because "dotnet build -c $configuration builds the net48 agent first"
        $zip = & $PackageScript -NoBuild -Configuration $configuration -OutputDirectory (Join-Path $TestDrive 'real') 3>$null
        $entries = Get-ZipEntry -Path $zip.FullName
        $expected = @(Get-ChildItem -LiteralPath $output -Filter '*.dll' | Where-Object { $_.Name -notlike 'Microsoft.Exchange.*' } | ForEach-Object { "agent/$($_.Name)" } | Sort-Object)
        $expected | Should -Contain 'agent/MimeKit.dll'
        @($entries | Where-Object { $_ -like 'agent/*.dll' } | Sort-Object) | Should -Be $expected
    }

    It 'builds a module that exports exactly the functions of Public/, one per file' {
        $public = @(Get-ChildItem -LiteralPath (Join-Path (Join-Path $RepoRoot 'Installer') 'Public') -Filter '*.ps1' | ForEach-Object { $_.BaseName } | Sort-Object)
        $public | Should -Contain 'Invoke-EncryptionAgentSetup'
        # A fresh runspace: this one already has the module imported (and mocked).
        $shell = [powershell]::Create()
        try {
            $exported = @($shell.AddScript("(Import-Module -Name '$InstallerManifestPath' -PassThru).ExportedFunctions.Keys").Invoke())
        }
        finally {
            $shell.Dispose()
        }
        @($exported | Sort-Object) | Should -Be $public
        (Get-Content -Raw -LiteralPath $InstallerModulePath) -split "`r`n" | Select-Object -First 1 | Should -Be '#Requires -Version 5.1'
    }

    It 'refuses to build a module from a Public/ file that is not exactly its one function' {
        $copy = Join-Path $TestDrive 'source-copy'
        $installer = New-Item -ItemType Directory -Path (Join-Path $copy 'Installer') -Force
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'Directory.Build.props') -Destination $copy
        foreach ($name in @('New-ReleasePackage.ps1', 'ExchangeEncryptionAgent.Installer.psd1', 'Public', 'Private')) {
            Copy-Item -LiteralPath (Join-Path (Join-Path $RepoRoot 'Installer') $name) -Destination $installer.FullName -Recurse
        }
        $testPolicy = Join-Path (Join-Path $installer.FullName 'Public') 'Test-EncryptionPolicy.ps1'
        Add-Content -LiteralPath $testPolicy -Value "`r`nfunction Get-Extra { }"
        { & (Join-Path $installer.FullName 'New-ReleasePackage.ps1') -ModuleOnly -OutputDirectory (Join-Path $TestDrive 'bad-module') } | Should -Throw '*Test-EncryptionPolicy.ps1 must define exactly one function*Get-Extra*'
        Set-Content -LiteralPath (Join-Path (Join-Path $installer.FullName 'Private') 'Stray.ps1') -Value "Write-Host 'runs at import'"
        Remove-Item -LiteralPath $testPolicy
        { & (Join-Path $installer.FullName 'New-ReleasePackage.ps1') -ModuleOnly -OutputDirectory (Join-Path $TestDrive 'bad-module') } | Should -Throw '*Stray.ps1: line 1 is not a function definition*'
    }

    It 'refuses to package a build output without the agent' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty-output') -Force
        { & $PackageScript -NoBuild -AgentOutputPath $empty.FullName -OutputDirectory (Join-Path $TestDrive 'none') } | Should -Throw '*No ExchangeEncryptionAgent.dll*Build first*'
    }
}
