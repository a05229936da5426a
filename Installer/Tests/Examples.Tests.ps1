<#
    Every policy in Policies/examples/ installed with its certificates, and the installed copy validated, with the
    real agent assembly doing the reading (what the installer copies is what the agent says the policy names).
    Exchange is the fake organisation; the agent is the net10.0 build (PowerShell 7 runs on .NET 10; Windows
    PowerShell 5.1 loads the net48 build, whose PolicyInventory is the same code). The certificates are made here
    with openssl, as an administrator would make or export them.
#>
BeforeDiscovery {
    $examplesFolder = Join-Path (Join-Path (Join-Path (Join-Path $PSScriptRoot '..') '..') 'Policies') 'examples'
    $script:Examples = @(Get-ChildItem -LiteralPath $examplesFolder -Filter '*.xml' -File | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:PkiPassword = 'example-pki'

    function Invoke-OpenSsl {
        param([Parameter(Mandatory)][string[]] $Arguments)

        $output = & openssl @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) {
            throw "openssl $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)"
        }
    }

    function New-ExamplePki {
        # A root CA, an issuing CA and an end-entity certificate with its key (plain and encrypted PEM, PKCS#12).
        param([Parameter(Mandatory)][string] $Folder)

        $null = New-Item -ItemType Directory -Path $Folder -Force
        $p = @{}
        foreach ($name in 'root.key', 'root.crt', 'ca.key', 'ca.csr', 'ca.crt', 'leaf.key', 'leaf.csr', 'leaf.crt', 'leaf-encrypted.key', 'leaf.pfx', 'ca.ext', 'leaf.ext') {
            $p[$name] = Join-Path $Folder $name
        }
        Set-Content -LiteralPath $p['ca.ext'] -Value "basicConstraints=critical,CA:TRUE`nkeyUsage=critical,keyCertSign,cRLSign"
        Set-Content -LiteralPath $p['leaf.ext'] -Value "basicConstraints=critical,CA:FALSE`nkeyUsage=critical,digitalSignature,keyEncipherment`nsubjectAltName=DNS:fabrikam.com,email:gateway@contoso.com"
        Invoke-OpenSsl @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', $p['root.key'], '-out', $p['root.crt'], '-days', '3650', '-subj', '/CN=Example Root/O=Contoso',
            '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
        Invoke-OpenSsl @('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', $p['ca.key'], '-out', $p['ca.csr'], '-subj', '/CN=Example Issuing CA/O=Contoso')
        Invoke-OpenSsl @('x509', '-req', '-in', $p['ca.csr'], '-CA', $p['root.crt'], '-CAkey', $p['root.key'], '-set_serial', '2', '-days', '3650', '-extfile', $p['ca.ext'], '-out', $p['ca.crt'])
        Invoke-OpenSsl @('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', $p['leaf.key'], '-out', $p['leaf.csr'], '-subj', '/CN=Example Gateway/O=Contoso')
        Invoke-OpenSsl @('x509', '-req', '-in', $p['leaf.csr'], '-CA', $p['ca.crt'], '-CAkey', $p['ca.key'], '-set_serial', '3', '-days', '825', '-extfile', $p['leaf.ext'], '-out', $p['leaf.crt'])
        Invoke-OpenSsl @('pkey', '-in', $p['leaf.key'], '-out', $p['leaf-encrypted.key'], '-aes256', '-passout', "pass:$script:PkiPassword")
        Invoke-OpenSsl @('pkcs12', '-export', '-inkey', $p['leaf.key'], '-in', $p['leaf.crt'], '-certfile', $p['ca.crt'], '-out', $p['leaf.pfx'], '-passout', "pass:$script:PkiPassword")
        $p
    }

    function Write-ExampleFile {
        # What an example names, by kind: PKCS#12, password, private key, or a certificate (a CA by its name).
        param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)] $Pki)

        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $Path) -Force
        $name = [System.IO.Path]::GetFileNameWithoutExtension($Path)
        switch ([System.IO.Path]::GetExtension($Path)) {
            '.pfx' { Copy-Item -LiteralPath $Pki['leaf.pfx'] -Destination $Path }
            '.pwd' { Set-Content -LiteralPath $Path -Value $script:PkiPassword }
            '.key' { Copy-Item -LiteralPath $Pki['leaf-encrypted.key'] -Destination $Path }
            default {
                if ($name -like '*root') { Copy-Item -LiteralPath $Pki['root.crt'] -Destination $Path }
                elseif ($name -like '*-ca') { Copy-Item -LiteralPath $Pki['ca.crt'] -Destination $Path }
                else { Copy-Item -LiteralPath $Pki['leaf.crt'] -Destination $Path }
            }
        }
    }

    function Write-ExampleFolder {
        # A certificate or key folder with something in it; a CRL folder stays empty (an empty one is valid, a
        # missing one is not, so the installer must create it even without files).
        param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)] $Pki)

        $null = New-Item -ItemType Directory -Path $Path -Force
        switch ((Split-Path -Leaf $Path)) {
            'roots' { Copy-Item -LiteralPath $Pki['root.crt'] -Destination (Join-Path $Path 'example-root.crt') }
            'escrow' { Set-Content -LiteralPath (Join-Path $Path 'gateway.pem') -Value ((Get-Content -Raw -LiteralPath $Pki['leaf.key']) + (Get-Content -Raw -LiteralPath $Pki['leaf.crt'])) }
            'crl' { }
            default { Copy-Item -LiteralPath $Pki['leaf.crt'] -Destination (Join-Path $Path 'gateway.crt') }
        }
    }

    function Remove-WindowsStoreSource {
        # Windows certificate stores cannot be provided by files, and cannot be read off Windows: the example's store
        # sources (a placeholder thumbprint among them) are left out of the copy installed here.
        param([Parameter(Mandatory)][string] $Path)

        $document = New-Object System.Xml.XmlDocument
        $document.PreserveWhitespace = $true
        $document.Load($Path)
        $stores = @($document.SelectNodes("//*[local-name()='WindowsStore' or @Store]"))
        foreach ($node in $stores) {
            $null = $node.ParentNode.RemoveChild($node)
        }
        $document.Save($Path)
        $stores.Count
    }

    $configuration = $env:EEA_CONFIGURATION
    if (-not $configuration) { $configuration = 'Release' }
    $script:AgentBuild = Join-Path (Join-Path (Join-Path (Join-Path $RepoRoot 'Agent') 'bin') $configuration) 'net10.0'
    $script:Pki = New-ExamplePki -Folder (Join-Path $TestDrive 'pki')
    # One package for every example: an assembly of one name loads once per process, from one path.
    $script:TestPackage = New-TestPackage -Path (Join-Path $TestDrive 'package')
    $agentFolder = Join-Path $TestPackage 'agent'
    Get-ChildItem -LiteralPath $agentFolder -Filter '*.dll' | Remove-Item
    Get-ChildItem -LiteralPath $AgentBuild -Filter '*.dll' -File | Copy-Item -Destination $agentFolder
    $script:AgentDll = Join-Path $agentFolder 'ExchangeEncryptionAgent.dll'
}

Describe 'Installing the example policy <Name>' -ForEach $Examples {
    BeforeAll {
        Join-Path $AgentBuild 'ExchangeEncryptionAgent.dll' | Should -Exist -Because "dotnet build -c $configuration builds the net10.0 agent first"
    }

    BeforeEach {
        Use-FakeExchange -RealAgent
        $script:InstallPath = Get-TestInstallPath
        $script:Source = Join-Path (Join-Path $Root 'source') $Name
        $null = New-Item -ItemType Directory -Path $Source -Force
        $script:SourcePolicy = Join-Path $Source $Name
        Copy-Item -LiteralPath (Join-Path (Join-Path (Join-Path $RepoRoot 'Policies') 'examples') $Name) -Destination $SourcePolicy
        $script:StoreSources = Remove-WindowsStoreSource -Path $SourcePolicy
        # What the agent says the example names (before any of it exists), made with openssl.
        $script:Named = InModuleScope $InstallerModuleName -Parameters @{ Policy = $SourcePolicy; Dll = $AgentDll } {
            param($Policy, $Dll)
            Get-PolicyInventory -Path $Policy -AgentAssemblyPath $Dll
        }
        foreach ($file in @($Named.Files)) { Write-ExampleFile -Path $file -Pki $Pki }
        foreach ($folder in @($Named.Folders)) { Write-ExampleFolder -Path $folder -Pki $Pki }
    }

    It 'installs it with every file and folder it names, and the installed copy is valid' {
        (Test-EncryptionPolicy -Path $SourcePolicy -AgentAssemblyPath $AgentDll).Errors | Should -BeNullOrEmpty -Because 'the source with its certificates is valid'

        $result = Invoke-TestSetup -With @{ PolicyPath = $SourcePolicy }

        $installedPolicy = Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml'
        $result.PolicyPath | Should -Be $installedPolicy
        Get-FileText $installedPolicy | Should -Be (Get-FileText $SourcePolicy)
        $validation = Test-EncryptionPolicy -Path $installedPolicy -AgentAssemblyPath $AgentDll
        $validation.Errors | Should -BeNullOrEmpty
        $validation.IsValid | Should -BeTrue
    }

    It 'copies each named file and folder to the same place relative to the active policy' {
        $null = Invoke-TestSetup -With @{ PolicyPath = $SourcePolicy }

        $policies = Join-Path $InstallPath 'Policies'
        $installed = InModuleScope $InstallerModuleName -Parameters @{ Policy = (Join-Path $policies 'policy.xml'); Dll = $AgentDll } {
            param($Policy, $Dll)
            Get-PolicyInventory -Path $Policy -AgentAssemblyPath $Dll
        }
        @($installed.Files).Count | Should -Be @($Named.Files).Count
        @($installed.Folders).Count | Should -Be @($Named.Folders).Count
        foreach ($file in @($Named.Files)) {
            $copy = Join-Path $policies $file.Substring($Source.Length + 1)
            $installed.Files | Should -Contain $copy
            (Get-FileHash -LiteralPath $copy).Hash | Should -Be (Get-FileHash -LiteralPath $file).Hash
        }
        foreach ($folder in @($Named.Folders)) {
            $copy = Join-Path $policies $folder.Substring($Source.Length + 1)
            $installed.Folders | Should -Contain $copy
            $copy | Should -Exist
            @(Get-ChildItem -LiteralPath $copy -File).Name | Should -Be @(Get-ChildItem -LiteralPath $folder -File).Name
        }
    }

    It 'lets the transport service account modify its log folder and the folders the policy has it write, nothing else' {
        $null = Invoke-TestSetup -With @{ PolicyPath = $SourcePolicy }

        $policies = Join-Path $InstallPath 'Policies'
        $writable = @(@($Named.WritableFolders) | ForEach-Object { Join-Path $policies $_.Substring($Source.Length + 1) })
        $modify = @((Get-FakeServer).Grants | Where-Object { $_.Rights -eq 'Modify' } | ForEach-Object { $_.Path })
        @($modify | Sort-Object) | Should -Be @(@(Join-Path $InstallPath 'Logs') + $writable | Sort-Object)
        foreach ($folder in $writable) { $folder | Should -Exist }
        if ($Name -eq 'confidential-label-or-keyword.xml') {
            $writable | Should -Be @(Join-Path (Join-Path $policies 'pki') 'harvested') -Because 'it harvests signer certificates into pki/harvested'
        }
    }

    It 'leaves out of the copy only the Windows store sources of decrypt-inbound.xml' {
        $expected = 0
        if ($Name -eq 'decrypt-inbound.xml') { $expected = 2 }
        $StoreSources | Should -Be $expected
    }
}
