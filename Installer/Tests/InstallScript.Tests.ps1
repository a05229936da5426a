<#
    install.ps1 is what administrators read and run: its help must explain every parameter with examples, and it must
    hand every parameter to the module unchanged, with the same names, defaults and validation.
#>
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:InstallScript = Join-Path $RepoRoot 'install.ps1'
    $script:Help = Get-Help $InstallScript -Full
    $script:CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $script:ScriptParameters = @((Get-Command $InstallScript).Parameters.Values | Where-Object { $CommonParameters -notcontains $_.Name })
    $script:ModuleParameters = @((Get-Command Invoke-EncryptionAgentSetup).Parameters.Values | Where-Object { $CommonParameters -notcontains $_.Name -and $_.Name -ne 'PackageRoot' })

    function Get-DefaultValue {
        # A parameter's default as the running code would see it (module defaults may name module variables).
        param([string] $Path, [string] $FunctionName, [string] $Parameter)

        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$null, [ref]$null)
        if ($FunctionName) {
            $ast = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq $FunctionName }, $true).Body
        }
        $declaration = $ast.ParamBlock.Parameters | Where-Object { $_.Name.VariablePath.UserPath -eq $Parameter }
        $default = $declaration.DefaultValue
        if ($null -eq $default) { return $null }
        if ($default -is [System.Management.Automation.Language.VariableExpressionAst]) {
            return & (Get-Module $InstallerModuleName) ([scriptblock]::Create($default.Extent.Text))
        }
        $default.SafeGetValue()
    }

    function Get-ValidationText {
        param($Parameter)
        @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object { 'set:' + ($_.ValidValues -join ',') }) +
        @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] } | ForEach-Object { "range:$($_.MinRange)-$($_.MaxRange)" }) +
        @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | ForEach-Object { "set:$($_.ParameterSetName) mandatory:$($_.Mandatory) position:$($_.Position)" } | Sort-Object)
    }
}

Describe 'install.ps1 help' {
    It 'has a synopsis, a description of the install order and notes' {
        $Help.Synopsis | Should -Match 'Installs, upgrades, removes or reports'
        ($Help.description.Text -join "`n") | Should -Match 'reads the policy with the package''s own agent assembly, before anything changes'
        ($Help.alertSet.alert.Text -join "`n") | Should -Match 'Exchange Management Shell'
    }

    It 'explains every parameter' {
        foreach ($parameter in $ScriptParameters) {
            $text = ($Help.parameters.parameter | Where-Object { $_.name -eq $parameter.Name }).description.Text -join ' '
            $text.Length | Should -BeGreaterThan 40 -Because "-$($parameter.Name) needs an explanation"
        }
    }

    It 'shows every parameter in at least one example' {
        $examples = ($Help.examples.example | ForEach-Object { $_.code }) -join "`n"
        foreach ($parameter in $ScriptParameters) {
            $examples | Should -Match "-$($parameter.Name)\b" -Because "-$($parameter.Name) needs an example"
        }
        $examples | Should -Match '-WhatIf'
        $examples | Should -Match '-Confirm'
    }

    It 'explains every example' {
        foreach ($example in $Help.examples.example) {
            ($example.remarks.Text -join ' ').Trim().Length | Should -BeGreaterThan 20 -Because "the example '$($example.code)' needs a sentence"
        }
    }

    It 'supports -WhatIf and -Confirm' {
        (Get-Command $InstallScript).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command $InstallScript).Parameters.Keys | Should -Contain 'Confirm'
    }
}

Describe 'install.ps1 and the module agree' {
    It 'has the same parameters as Invoke-EncryptionAgentSetup' {
        @($ScriptParameters.Name | Sort-Object) | Should -Be @($ModuleParameters.Name | Sort-Object)
    }

    It 'gives -<Name> the same type, validation and parameter sets' -ForEach @(
        'Action', 'InstallPath', 'PolicyPath', 'Priority', 'TransportService', 'Server', 'AllTransportServers',
        'ForcedTlsConnectorName', 'SkipForcedTlsConnector', 'RemoveData', 'Credential', 'ServiceTimeoutSeconds' | ForEach-Object { @{ Name = $_ } }
    ) {
        $script = (Get-Command $InstallScript).Parameters[$Name]
        $module = (Get-Command Invoke-EncryptionAgentSetup).Parameters[$Name]
        $script.ParameterType | Should -Be $module.ParameterType
        (Get-ValidationText $script) -join '|' | Should -Be ((Get-ValidationText $module) -join '|')
    }

    It 'gives -<Name> the same default' -ForEach @(
        'Action', 'ForcedTlsConnectorName', 'ServiceTimeoutSeconds' | ForEach-Object { @{ Name = $_ } }
    ) {
        $scriptDefault = Get-DefaultValue -Path $InstallScript -Parameter $Name
        $moduleDefault = Get-DefaultValue -Path $InstallerModulePath -FunctionName 'Invoke-EncryptionAgentSetup' -Parameter $Name
        $scriptDefault | Should -Not -BeNullOrEmpty
        $scriptDefault | Should -Be $moduleDefault
    }

    It 'gives -TransportService no default in either: the server''s role decides' {
        Get-DefaultValue -Path $InstallScript -Parameter 'TransportService' | Should -BeNullOrEmpty
        Get-DefaultValue -Path $InstallerModulePath -FunctionName 'Invoke-EncryptionAgentSetup' -Parameter 'TransportService' | Should -BeNullOrEmpty
    }
}

Describe 'install.ps1 hands over to the module' {
    BeforeAll {
        # install.ps1 as it ships: beside the built module (Installer\ExchangeEncryptionAgent.Installer.psm1).
        $script:ShippedPackage = Split-Path -Parent (Split-Path -Parent $InstallerManifestPath)
        $script:ShippedInstallScript = Join-Path $ShippedPackage 'install.ps1'
        Copy-Item -LiteralPath $InstallScript -Destination $ShippedInstallScript -Force
    }

    BeforeEach {
        Mock Invoke-EncryptionAgentSetup { }
    }

    It 'stops with what to do when the module is not built beside it (a source tree)' {
        { & $InstallScript -Action Status } | Should -Throw '*No Installer*ExchangeEncryptionAgent.Installer.psm1*New-ReleasePackage.ps1*'
        Should -Invoke Invoke-EncryptionAgentSetup -Times 0 -Exactly
    }

    It 'passes the parameters it was given, and its own folder as the package' {
        & $ShippedInstallScript -Action Upgrade -Priority 4 -PolicyPath 'D:\policy.xml' -SkipForcedTlsConnector -WhatIf
        Should -Invoke Invoke-EncryptionAgentSetup -Times 1 -Exactly -ParameterFilter {
            $Action -eq 'Upgrade' -and $Priority -eq 4 -and $PolicyPath -eq 'D:\policy.xml' -and $SkipForcedTlsConnector -and $WhatIf -and $PackageRoot -eq $ShippedPackage
        }
    }

    It 'passes -AllTransportServers and -Credential' {
        $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\exadmin', (ConvertTo-SecureString 'not-a-real-password' -AsPlainText -Force)
        & $ShippedInstallScript -AllTransportServers -Credential $credential
        Should -Invoke Invoke-EncryptionAgentSetup -Times 1 -Exactly -ParameterFilter { $AllTransportServers -and $Credential.UserName -eq 'CONTOSO\exadmin' }
    }

    It 'rejects a transport service a routing agent cannot use' {
        { & $InstallScript -TransportService FrontEnd } | Should -Throw '*FrontEnd*'
        Should -Invoke Invoke-EncryptionAgentSetup -Times 0 -Exactly
    }

    It 'rejects -Server together with -AllTransportServers' {
        { & $InstallScript -Server EX01 -AllTransportServers } | Should -Throw '*Parameter set cannot be resolved*'
        Should -Invoke Invoke-EncryptionAgentSetup -Times 0 -Exactly
    }
}
