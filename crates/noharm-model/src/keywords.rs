//! The fixed vocabularies of the model format.

use noharm_syntax::keyword_enum;

keyword_enum! {
    /// How directly the system's output affects care.
    pub enum ClinicalUse ("clinical use") {
        /// Scheduling, billing, paperwork.
        Administrative = "administrative",
        /// Hospital operations: beds, staffing, supply.
        Operational = "operational",
        /// Informs a clinician's decision.
        DecisionSupport = "decision-support",
        /// Detects or classifies disease.
        Diagnostic = "diagnostic",
        /// Chooses or doses a treatment.
        Therapeutic = "therapeutic",
        /// Drives a medical device directly.
        DeviceControl = "device-control",
    }
}

keyword_enum! {
    /// The system's regulatory status.
    pub enum Regulation ("regulatory status") {
        /// Not a regulated medical device.
        None = "none",
        /// Software as a medical device.
        Samd = "samd",
        /// Connected to a regulated device.
        DeviceConnected = "device-connected",
    }
}

keyword_enum! {
    /// How much assurance the system needs.
    pub enum RiskTier ("risk tier") {
        /// Little direct effect on care.
        Low = "low",
        /// Informs care; errors are caught by people most of the time.
        Moderate = "moderate",
        /// Diagnoses, treats or controls a device.
        High = "high",
    }
}

keyword_enum! {
    /// How badly a harm hurts a patient, on the usual five-step scale.
    pub enum Severity ("harm severity") {
        /// Inconvenience, no injury.
        Negligible = "negligible",
        /// Temporary injury not needing intervention.
        Minor = "minor",
        /// Injury needing intervention.
        Serious = "serious",
        /// Permanent impairment or life-threatening injury.
        Critical = "critical",
        /// Death.
        Catastrophic = "catastrophic",
    }
}

keyword_enum! {
    /// How a failure shows itself to the people relying on the system.
    pub enum FailureMode ("failure mode") {
        /// The system answers, wrongly.
        WrongOutput = "wrong-output",
        /// The system does not answer.
        NoOutput = "no-output",
        /// Information reaches someone who should not have it.
        Disclosure = "disclosure",
    }
}

keyword_enum! {
    /// What kind of data an asset is.
    pub enum Classification ("data classification") {
        /// Protected health information.
        Phi = "phi",
        /// Personal information that is not health information.
        Pii = "pii",
        /// Health data with identifiers removed.
        Deidentified = "deidentified",
        /// What the system produces for clinicians (scores, summaries).
        ClinicalOutput = "clinical-output",
        /// Weights, features, prompts and other model material.
        ModelArtifact = "model-artifact",
        /// Keys, passwords, tokens.
        Credentials = "credentials",
        /// Internal business data.
        Internal = "internal",
        /// Public data.
        Public = "public",
    }
}

keyword_enum! {
    /// What kind of trust boundary.
    pub enum BoundaryKind ("boundary kind") {
        /// A network segment.
        Network = "network",
        /// A cloud account or tenancy.
        Cloud = "cloud",
        /// Run by a vendor.
        Vendor = "vendor",
        /// An organisation.
        Organization = "organization",
        /// A process or container.
        Process = "process",
    }
}

keyword_enum! {
    /// What kind of element.
    pub enum ElementKind ("element kind") {
        /// A person.
        Actor = "actor",
        /// A system outside the one modelled.
        External = "external",
        /// Code that transforms data.
        Process = "process",
        /// Data at rest.
        Store = "store",
        /// A machine-learning model.
        Model = "model",
    }
}

keyword_enum! {
    /// Where an element sits in the AI lifecycle.
    pub enum Stage ("lifecycle stage") {
        /// Data enters.
        Ingestion = "ingestion",
        /// Cleaning, features, labels.
        Preprocessing = "preprocessing",
        /// Model training.
        Training = "training",
        /// Testing before release.
        Validation = "validation",
        /// Model storage and versioning.
        Registry = "registry",
        /// Release and promotion.
        Deployment = "deployment",
        /// Serving predictions.
        Inference = "inference",
        /// Fetching context for a model.
        Retrieval = "retrieval",
        /// A person reviews output.
        Review = "review",
        /// Output becomes an action in care.
        Action = "action",
        /// Watching performance and drift.
        Monitoring = "monitoring",
        /// Keeping logs.
        Logging = "logging",
        /// Backups.
        Backup = "backup",
        /// Data leaves for another use.
        Export = "export",
    }
}

keyword_enum! {
    /// Who can reach an element.
    pub enum Exposure ("exposure") {
        /// Anyone on the internet.
        Internet = "internet",
        /// Partners over dedicated links.
        Partner = "partner",
        /// The organisation's own network.
        Internal = "internal",
        /// Nothing outside its own host or segment.
        Isolated = "isolated",
    }
}

keyword_enum! {
    /// How an element's model or software changes.
    pub enum UpdatePolicy ("update policy") {
        /// Fixed version, changed only by a deliberate project.
        Pinned = "pinned",
        /// Updates go through change control before release.
        Reviewed = "reviewed",
        /// Updates arrive without local review.
        Automatic = "automatic",
    }
}

keyword_enum! {
    /// What kind of versioned artifact.
    pub enum ArtifactKind ("artifact kind") {
        /// Training or evaluation data.
        Dataset = "dataset",
        /// Source code.
        Code = "code",
        /// Trained weights.
        ModelWeights = "model-weights",
        /// A prompt template or system prompt.
        Prompt = "prompt",
        /// Configuration.
        Config = "config",
        /// A container or VM image.
        Image = "image",
    }
}

impl Severity {
    /// 1 for negligible to 5 for catastrophic.
    pub fn rank(self) -> u8 {
        match self {
            Severity::Negligible => 1,
            Severity::Minor => 2,
            Severity::Serious => 3,
            Severity::Critical => 4,
            Severity::Catastrophic => 5,
        }
    }
}

/// Technology tags with a meaning the rule packs rely on. Other tags are
/// allowed; a tag close to one of these is probably a typo.
pub const WELL_KNOWN_TECH: &[&str] = &[
    "llm",
    "rag",
    "agent",
    "classifier",
    "regression",
    "imaging",
    "speech-to-text",
    "embedding",
    "vector-store",
    "tool",
    "rules",
    "etl",
    "api",
    "web",
    "mobile",
    "device",
];

/// Protocols with a meaning the rule packs rely on.
pub const WELL_KNOWN_PROTOCOLS: &[&str] = &[
    "https",
    "http",
    "dicom",
    "dicomweb",
    "hl7v2",
    "fhir",
    "sftp",
    "grpc",
    "jdbc",
    "amqp",
    "mqtt",
    "smb",
    "ble",
    "websocket",
    "s3",
    "internal",
];
