import type { LibraryAllowlist } from './allowlist.js';

const ATTRIBUTE_DICT = ['AttributeDict'];
const TRAINER_STATES = ['TrainerFn RunningStage TrainerStatus TrainerState'];

/** OmegaConf containers and nodes (Lightning and Hydra hyper-parameters). */
export const OMEGACONF_ALLOWLIST: LibraryAllowlist = {
  library: 'omegaconf',
  modules: {
    'omegaconf.dictconfig': ['DictConfig'],
    'omegaconf.listconfig': ['ListConfig'],
    'omegaconf.base': ['ContainerMetadata Metadata'],
    'omegaconf.nodes': ['AnyNode StringNode IntegerNode FloatNode BooleanNode EnumNode PathNode BytesNode'],
  },
};

/** Lightning `.ckpt` contents: hyper-parameter dictionaries, callback classes and trainer states. */
export const LIGHTNING_ALLOWLIST: LibraryAllowlist = {
  library: 'lightning',
  modules: {
    'pytorch_lightning.utilities.parsing': ATTRIBUTE_DICT,
    'lightning_fabric.utilities.data': ATTRIBUTE_DICT,
    'lightning.fabric.utilities.data': ATTRIBUTE_DICT,
    'lightning.pytorch.utilities.parsing': ATTRIBUTE_DICT,
    'pytorch_lightning.callbacks.model_checkpoint': ['ModelCheckpoint'],
    'pytorch_lightning.callbacks.early_stopping': ['EarlyStopping'],
    'pytorch_lightning.callbacks.lr_monitor': ['LearningRateMonitor'],
    'lightning.pytorch.callbacks.model_checkpoint': ['ModelCheckpoint'],
    'lightning.pytorch.callbacks.early_stopping': ['EarlyStopping'],
    'lightning.pytorch.callbacks.lr_monitor': ['LearningRateMonitor'],
    'pytorch_lightning.trainer.states': TRAINER_STATES,
    'lightning.pytorch.trainer.states': TRAINER_STATES,
  },
};
